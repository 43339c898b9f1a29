#include "WorkerThreads.h"

#include <exception>

namespace ttbench
{

WorkerThreads::WorkerThreads(FailureLatch& latch, std::function<void()> stopAll)
    : latch_(latch)
    , stopAll_(std::move(stopAll))
{
}

WorkerThreads::~WorkerThreads()
{
    bool running = false;
    for (const std::thread& thread : threads_)
        running = running || thread.joinable();
    if (running && stopAll_)
        stopAll_();
    join();
}

void WorkerThreads::spawn(std::string name, std::function<void()> job)
{
    threads_.emplace_back([this, name = std::move(name), job = std::move(job)] {
        try
        {
            job();
        }
        catch (const std::exception& error)
        {
            latch_.fail(name + ": " + error.what());
        }
        catch (...)
        {
            latch_.fail(name + ": an unknown exception");
        }
    });
}

void WorkerThreads::join()
{
    for (std::thread& thread : threads_)
        if (thread.joinable())
            thread.join();
}

} // namespace ttbench
