#include "LogRateLimiter.h"

namespace ttroute
{

LogRateLimiter::LogRateLimiter(std::uint32_t linesPerSecond)
    : linesPerSecond_(linesPerSecond)
{
}

bool LogRateLimiter::allow(std::uint64_t& suppressed)
{
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard lock(mutex_);
    if (now - windowStart_ >= std::chrono::seconds(1))
    {
        windowStart_ = now;
        linesInWindow_ = 0;
    }
    if (linesInWindow_ >= linesPerSecond_)
    {
        ++suppressed_;
        return false;
    }
    ++linesInWindow_;
    suppressed = suppressed_;
    suppressed_ = 0;
    return true;
}

} // namespace ttroute
