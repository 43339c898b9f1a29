#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <string>

namespace ttbench
{

/// The first failure of a run, shared by all its threads. A worker that fails records what
/// happened here instead of ending the process; the main thread, waiting in waitFor(), wakes
/// at once, stops the run and reports that one line.
class FailureLatch
{
public:
    /// Records `what` unless a failure was recorded before, and wakes waitFor().
    void fail(const std::string& what);

    /// True once a failure was recorded.
    bool failed() const { return failed_.load(std::memory_order_acquire); }

    /// Waits `seconds`, or less when a failure is recorded meanwhile; returns !failed().
    bool waitFor(double seconds);

    /// Throws std::runtime_error with the first failure, if there was one.
    void rethrowIfFailed() const;

private:
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::atomic<bool> failed_{false};
    std::string what_;
};

/// Runs `work` and returns what it returns; an exception it throws comes out as
/// std::runtime_error("who: what"), so the one line that reports it says which connection.
template <typename Work>
auto inContext(const std::string& who, Work&& work) -> decltype(work())
{
    try
    {
        return work();
    }
    catch (const std::invalid_argument&)
    {
        throw; // a usage error names its option already
    }
    catch (const std::exception& error)
    {
        throw std::runtime_error(who + ": " + error.what());
    }
}

} // namespace ttbench
