#pragma once

#include "FailureLatch.h"

#include <functional>
#include <string>
#include <thread>
#include <vector>

namespace ttbench
{

/// Some threads of a run. An exception a job throws is caught and recorded in the run's
/// FailureLatch as "name: what", so one failing connection ends the run with a line saying
/// so instead of std::terminate. The destructor tells the jobs to stop and joins them, so a
/// run left early by an exception never leaves a joinable thread behind.
class WorkerThreads
{
public:
    /// Threads whose failures go to `latch`; `stopAll` makes every job return soon (called
    /// by the destructor when threads still run).
    WorkerThreads(FailureLatch& latch, std::function<void()> stopAll);

    /// Calls stopAll unless every thread was joined, then joins them.
    ~WorkerThreads();

    WorkerThreads(const WorkerThreads&) = delete;
    WorkerThreads& operator=(const WorkerThreads&) = delete;

    /// Runs `job` on a new thread; `name` says which worker it is in a failure's line.
    void spawn(std::string name, std::function<void()> job);

    /// Waits for every thread to end.
    void join();

private:
    FailureLatch& latch_;
    std::function<void()> stopAll_;
    std::vector<std::thread> threads_;
};

} // namespace ttbench
