#pragma once

#include "routing/RouteCounters.h"
#include "wire/ProtocolIds.h"

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <vector>

namespace ttroute
{

/// The route server's traffic second by second over the last minutes (GET /history, the
/// status page's charts): what RouteCounters gained between two calls of sample().
class RateHistory
{
public:
    /// How many samples are kept: ten minutes of one a second.
    static constexpr std::size_t kCapacity = 600;

    /// What the counters gained since the sample before.
    struct Sample
    {
        std::int64_t timeMs = 0;                           ///< when it was taken, ms since the epoch
        std::array<std::uint64_t, kCommandSlots> pdus{};   ///< PDUs received, by commandSlot()
        std::uint64_t statusQueries = 0;                   ///< USERS_STATUS_REQUESTs answered
        std::uint64_t relayed = 0;                         ///< PDUs relayed, once per PDU received
        std::uint64_t notifications = 0;                   ///< status notifications built
        std::uint64_t bytesIn = 0;                         ///< bytes of PDUs received
        std::uint64_t bytesOut = 0;                        ///< bytes handed to outboxes
    };

    /// Samples `counters`, which must outlive it.
    explicit RateHistory(const RouteCounters& counters);

    /// Keeps what the counters gained since the last call as the sample of `now`, forgetting
    /// the oldest beyond kCapacity; the first call only notes where the counters stand.
    void sample(std::chrono::system_clock::time_point now);

    /// The samples taken after `sinceMs` (ms since the epoch), oldest first.
    std::vector<Sample> since(std::int64_t sinceMs) const;

private:
    Sample totals() const;

    const RouteCounters& counters_;
    mutable std::mutex mutex_;
    std::optional<Sample> last_;  ///< the counters' totals at the last call
    std::deque<Sample> samples_;  ///< oldest first
};

} // namespace ttroute
