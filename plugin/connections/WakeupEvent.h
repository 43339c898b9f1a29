#pragma once

namespace ttroute
{

/// A Linux eventfd that one thread polls and any thread signals: how a connection's own
/// thread learns that its outbox needs watching or that it must close.
class WakeupEvent
{
public:
    /// Creates the eventfd; throws Poco::SystemException when the process is out of descriptors.
    WakeupEvent();
    ~WakeupEvent();

    WakeupEvent(const WakeupEvent&) = delete;
    WakeupEvent& operator=(const WakeupEvent&) = delete;

    /// Makes fd() readable; safe from any thread.
    void signal();

    /// Makes fd() unreadable again; called by the polling thread after it woke.
    void clear();

    /// The descriptor to poll for POLLIN.
    int fd() const { return fd_; }

private:
    int fd_;
};

} // namespace ttroute
