#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace ttroute
{

/// A thread of its own that runs a task when the task's next deadline comes, or at once when
/// poked: how announcements held for a grace period go out after the connection that
/// caused them is gone.
class DeadlineWorker
{
public:
    using Clock = std::chrono::steady_clock;

    /// Does what is due at `now` and returns when it is next due (Clock::time_point::max()
    /// for "only when poked"). Must not throw.
    using Task = std::function<Clock::time_point(Clock::time_point now)>;

    /// Starts the thread, which runs `task` once at once.
    explicit DeadlineWorker(Task task);

    /// stop().
    ~DeadlineWorker();

    DeadlineWorker(const DeadlineWorker&) = delete;
    DeadlineWorker& operator=(const DeadlineWorker&) = delete;

    /// Runs the task again as soon as the thread is free (e.g. something became due earlier).
    void poke();

    /// Lets a run in progress finish and joins the thread; the task does not run again. Idempotent.
    void stop();

private:
    void run();

    Task task_;
    std::mutex mutex_;
    std::condition_variable changed_;
    bool poked_ = true;
    bool stopping_ = false;
    std::thread thread_;
};

} // namespace ttroute
