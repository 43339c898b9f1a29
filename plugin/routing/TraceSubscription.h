#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

namespace ttroute
{

/// One operator's trace (GET /trace): the users it follows, until when, and the lines that
/// wait for its reader. Routing threads push() lines; the admin thread that streams the
/// trace take()s them.
class TraceSubscription
{
public:
    /// Lines that may wait for a reader; beyond them lines are dropped, and counted.
    static constexpr std::size_t kMaxWaitingLines = 10000;

    /// Follows `users` (sorted, no duplicates) until `until` (`untilWall` on the wall clock).
    TraceSubscription(std::vector<std::uint32_t> users, std::chrono::steady_clock::time_point until,
                      std::chrono::system_clock::time_point untilWall);

    /// The users followed, sorted.
    const std::vector<std::uint32_t>& users() const { return users_; }

    /// When the trace ends.
    std::chrono::steady_clock::time_point until() const { return until_; }

    /// The same on the wall clock, for people.
    std::chrono::system_clock::time_point untilWall() const { return untilWall_; }

    /// Queues `line` for the reader, or drops it when kMaxWaitingLines wait already.
    void push(const std::string& line);

    /// Waits until lines wait or `deadline` comes, then moves the waiting lines into
    /// `lines`; returns how many lines were dropped since the last call.
    std::size_t take(std::vector<std::string>& lines, std::chrono::steady_clock::time_point deadline);

private:
    const std::vector<std::uint32_t> users_;
    const std::chrono::steady_clock::time_point until_;
    const std::chrono::system_clock::time_point untilWall_;
    std::mutex mutex_;
    std::condition_variable arrived_;
    std::deque<std::string> waiting_;
    std::size_t dropped_ = 0;
};

} // namespace ttroute
