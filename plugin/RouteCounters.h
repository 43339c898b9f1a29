#pragma once

#include "DisconnectReason.h"

#include <atomic>
#include <cstdint>

namespace ttroute
{

/// Totals the plugin keeps for operators. Relaxed atomics: each routing step adds its
/// counts once, so counting costs no lock and next to no cache traffic on the hot path.
struct RouteCounters
{
    std::atomic<std::uint64_t> framesReceived{0};   ///< whole frames decoded
    std::atomic<std::uint64_t> bytesReceived{0};    ///< bytes read from msg servers
    std::atomic<std::uint64_t> framesRelayed{0};    ///< relayed frames, counted once per source frame
    std::atomic<std::uint64_t> statusQueries{0};    ///< USERS_STATUS_REQUESTs answered
    std::atomic<std::uint64_t> idsQueried{0};       ///< user ids answered in them
    std::atomic<std::uint64_t> notificationsSent{0}; ///< status notifications built, counted once per frame
    std::atomic<std::uint64_t> bodiesDropped{0};    ///< frames dropped because their body did not parse
    std::atomic<std::uint64_t> framesIgnored{0};    ///< frames of commands the route server does not handle
    std::atomic<std::uint64_t> framesRejected{0};   ///< headers that broke the framing limits
    std::atomic<std::uint64_t> refused{0};          ///< connections refused at accept (route.allow)
    std::atomic<std::uint64_t> disconnects[kDisconnectReasonCount]{};    ///< connections ended, by DisconnectReason

    /// Adds `count` to `counter` without ordering.
    static void add(std::atomic<std::uint64_t>& counter, std::uint64_t count)
    {
        if (count != 0)
            counter.fetch_add(count, std::memory_order_relaxed);
    }
};

} // namespace ttroute
