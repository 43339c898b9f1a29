#include "DeadlineWorker.h"

namespace ttroute
{

DeadlineWorker::DeadlineWorker(Task task)
    : task_(std::move(task))
    , thread_([this] { run(); })
{
}

DeadlineWorker::~DeadlineWorker()
{
    stop();
}

void DeadlineWorker::poke()
{
    std::lock_guard lock(mutex_);
    poked_ = true;
    changed_.notify_one();
}

void DeadlineWorker::stop()
{
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        changed_.notify_one();
    }
    if (thread_.joinable())
        thread_.join();
}

void DeadlineWorker::run()
{
    Clock::time_point due = Clock::time_point::max();
    std::unique_lock lock(mutex_);
    for (;;)
    {
        // wait_until() with time_point::max() overflows inside libstdc++: wait() instead.
        const auto ready = [this] { return poked_ || stopping_; };
        if (due == Clock::time_point::max())
            changed_.wait(lock, ready);
        else
            changed_.wait_until(lock, due, ready);
        if (stopping_)
            return;
        poked_ = false;
        lock.unlock();
        due = task_(Clock::now());
        lock.lock();
    }
}

} // namespace ttroute
