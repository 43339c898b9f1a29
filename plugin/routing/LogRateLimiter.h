#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>

namespace ttroute
{

/// Lets at most `linesPerSecond` log lines of one kind through and counts the rest, so a
/// peer that floods us with bad input cannot flood the log as well. Thread-safe.
class LogRateLimiter
{
public:
    /// Allows `linesPerSecond` lines in each one-second window.
    explicit LogRateLimiter(std::uint32_t linesPerSecond);

    /// True when a line may be written now; then `suppressed` is the number held back since
    /// the last line that went through, which that line should mention.
    bool allow(std::uint64_t& suppressed);

private:
    std::mutex mutex_;
    const std::uint32_t linesPerSecond_;
    std::chrono::steady_clock::time_point windowStart_{};
    std::uint32_t linesInWindow_ = 0;
    std::uint64_t suppressed_ = 0;
};

} // namespace ttroute
