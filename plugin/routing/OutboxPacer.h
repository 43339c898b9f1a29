#pragma once

#include "presence/ConnectionId.h"
#include "routing/PeerDirectory.h"

#include <Poco/Logger.h>

#include <chrono>
#include <cstddef>
#include <mutex>
#include <unordered_set>

namespace ttroute
{

/// Paces bursts of announcements (a lost connection's users at the end of their grace, their
/// return in ONLINE_USER_INFO) to what the msg servers' outboxes take.
///
/// Before each further slice of a burst, wait() lets every peer read its queue down to a
/// comfortable size, so that peers that do read are not overflowed and live traffic never
/// queues behind more than a little of the burst. A peer whose queue stops shrinking is not
/// waited for again until it has read its queue down to that size, with a log line: one msg
/// server that does not read must not hold the announcements to everyone else back, slice
/// after slice, until its outbox limit or its idle timeout ends it.
///
/// Thread-safe: the connection threads and the expiry of held losses pace at the same time.
class OutboxPacer
{
public:
    /// How long a peer's queue may stay above the comfortable size without shrinking before
    /// the pacer stops waiting for that peer.
    static constexpr std::chrono::milliseconds kPatience{200};

    /// Paces for the peers of `peers`, logging to `logger`.
    OutboxPacer(const PeerDirectory& peers, Poco::Logger& logger);

    /// Returns once every peer but `except` (the sender, or null) has at most
    /// `comfortableBytes` queued, or has stopped reading. Call it with no lock held: it
    /// sleeps, and it logs.
    void wait(const PeerLink* except, std::size_t comfortableBytes);

    /// Forgets `peer`, which is gone.
    void forget(ConnectionId peer);

private:
    /// A peer above the comfortable size in one wait().
    struct Backlog
    {
        std::size_t lowest;                              ///< its smallest queue seen
        std::chrono::steady_clock::time_point shrunkAt; ///< when that was seen
    };

    const PeerDirectory& peers_;
    Poco::Logger& logger_;
    std::mutex mutex_;                      ///< guards notReading_
    std::unordered_set<ConnectionId> notReading_; ///< given up on until their queue is comfortable again
};

} // namespace ttroute
