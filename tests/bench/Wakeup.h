#pragma once

#include <atomic>

namespace ttbench
{

/// Lets a writer thread sleep in poll() on fd() until another thread reports progress: an
/// eventfd that is only written while the writer says it is (about to be) waiting.
class Wakeup
{
public:
    /// Opens the eventfd; throws when it cannot.
    Wakeup();

    /// Closes it.
    ~Wakeup();

    Wakeup(const Wakeup&) = delete;
    Wakeup& operator=(const Wakeup&) = delete;

    /// The descriptor to poll for POLLIN.
    int fd() const { return fd_; }

    /// Called by the writer before it checks whether to wait: a nudge from now on ends the wait.
    void arm() { waiting_.store(true, std::memory_order_seq_cst); }

    /// Wakes the writer if it armed.
    void nudge();

    /// Wakes the writer whatever it does (to stop it).
    void ring();

    /// Consumes the wake-ups that arrived.
    void clear();

private:
    int fd_;
    std::atomic<bool> waiting_{false};
};

} // namespace ttbench
