#include "FailureLatch.h"

#include <chrono>
#include <stdexcept>

namespace ttbench
{

void FailureLatch::fail(const std::string& what)
{
    {
        std::lock_guard lock(mutex_);
        if (failed_.load(std::memory_order_relaxed))
            return;
        what_ = what;
        failed_.store(true, std::memory_order_release);
    }
    changed_.notify_all();
}

bool FailureLatch::waitFor(double seconds)
{
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, std::chrono::duration<double>(seconds), [this] { return failed_.load(std::memory_order_relaxed); });
    return !failed_.load(std::memory_order_relaxed);
}

void FailureLatch::rethrowIfFailed() const
{
    std::lock_guard lock(mutex_);
    if (failed_.load(std::memory_order_relaxed))
        throw std::runtime_error(what_);
}

} // namespace ttbench
