#pragma once

#include "routing/TraceSubscription.h"

#include <Poco/Logger.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace ttroute
{

/// The traces running (GET /trace): which users they follow, and where the lines about them
/// go — to each trace that follows one of the line's users, and to the log (route.trace).
/// The routing path asks active() once per read: with no trace running, one relaxed load is
/// all it pays.
class Tracer
{
public:
    /// The most users one trace may follow.
    static constexpr std::size_t kMaxUsers = 16;

    /// The longest a trace may run.
    static constexpr std::chrono::minutes kMaxLength{15};

    /// A trace as GET /status lists it.
    struct Running
    {
        std::vector<std::uint32_t> users;
        std::chrono::system_clock::time_point until;
    };

    /// Also writes every line to `log`.
    explicit Tracer(Poco::Logger& log);

    /// True while some trace runs.
    bool active() const { return active_.load(std::memory_order_relaxed); }

    /// The users some trace follows, sorted: taken once per read while a trace runs.
    std::shared_ptr<const std::vector<std::uint32_t>> followed() const;

    /// Starts following `users` (at most kMaxUsers) for `length` (at most kMaxLength); the
    /// trace ends when the last copy of the returned pointer goes.
    std::shared_ptr<TraceSubscription> start(std::vector<std::uint32_t> users, std::chrono::milliseconds length);

    /// Hands `line`, about the followed users `users`, to every trace that follows one of
    /// them, and to the log.
    void publish(const std::string& line, const std::vector<std::uint32_t>& users);

    /// The traces running now.
    std::vector<Running> running() const;

private:
    void end(const TraceSubscription* subscription);
    void refresh(); ///< recomputes followed_ and active_; mutex_ held

    Poco::Logger& log_;
    mutable std::mutex mutex_;
    std::vector<TraceSubscription*> subscriptions_;           ///< owned by their shared pointers
    std::shared_ptr<const std::vector<std::uint32_t>> followed_; ///< guarded by mutex_
    std::atomic<bool> active_{false};
};

} // namespace ttroute
