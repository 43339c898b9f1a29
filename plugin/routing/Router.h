#pragma once

#include "config/LiveSettings.h"
#include "presence/LostUsers.h"
#include "presence/PresenceRegistry.h"
#include "routing/LogRateLimiter.h"
#include "routing/OutboxPacer.h"
#include "routing/PeerDirectory.h"
#include "routing/RouteCounters.h"
#include "routing/RouteScratch.h"
#include "routing/Tracer.h"
#include "routing/WriterPriorityMutex.h"
#include "wire/Frame.h"

#include <Poco/Logger.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <vector>

namespace ttroute
{

/// The rules of protocol.md §4–§7: what each received frame changes and who gets what.
///
/// Thread-safe: every connection thread routes its own frames. Runs of consecutive frames of
/// one read that go to the same destinations travel as one batch, written straight from the
/// read buffer. One writer-priority lock guards presence and orders what depends on it: a
/// status update holds it exclusively until its notifications are in every outbox, a status
/// query holds it shared until its answer is, so no msg server ever sees an answer older than
/// a notification it already got, and every msg server sees status changes in the order they
/// were applied.
class Router
{
public:
    /// The router reads and writes `presence`, delivers to `peers`, counts into `counters`,
    /// and tells `tracer` about the PDUs of the users it follows.
    Router(PresenceRegistry& presence, PeerDirectory& peers, const LiveSettings& settings, RouteCounters& counters, Tracer& tracer,
           Poco::Logger& logger);

    /// Makes `peer` a destination of relays and notifications.
    void attach(std::shared_ptr<PeerLink> peer);

    /// Removes `peer` and everything it contributed to presence at once. With `announce`,
    /// the users who thereby lost their last PC login are held for route.peer_loss_grace:
    /// announceLosses() announces those still offline when it is over (protocol.md §7); with
    /// a grace of 0 before detach() returns. Works through the peer's users in slices, so
    /// presence updates and queries from other connections wait for one slice at most.
    void detach(PeerLink& peer, bool announce);

    /// Announces offline, to every peer, the held users of each loss whose grace is over and
    /// who are still online nowhere, as if each had sent OFFLINE for its last PC login
    /// (protocol.md §7, §5); forgets them unannounced when the grace is now "never". Paces
    /// the announcements to what the peers' outboxes take. Returns when the next loss is
    /// due (time_point::max() when none is held).
    std::chrono::steady_clock::time_point announceLosses(std::chrono::steady_clock::time_point now);

    /// Handles the frames of one read from `from`, in order, with `from`'s own scratch buffers.
    void route(PeerLink& from, const std::vector<FrameView>& frames, RouteScratch& scratch);

    /// Calls `read(const PresenceRegistry&)` under the shared presence lock and returns what
    /// it returns: for operators' questions, which wait for one status update at most.
    template <typename Read>
    auto readPresence(Read&& read)
    {
        std::shared_lock lock(presenceLock_);
        return read(static_cast<const PresenceRegistry&>(presence_));
    }

    /// Users whose offline announcement is held now, and users remembered as announced
    /// offline, in one look (GET /metrics).
    std::pair<std::size_t, std::size_t> lostUserCounts();

private:
    class Step; // RouterStep.h

    /// Presence changes made under one hold of the presence lock: a lost connection's users,
    /// an ONLINE_USER_INFO's entries. Between slices the other connections' relays and queries
    /// get their turn, so a large change stalls them for a slice, not for the whole change.
    static constexpr std::size_t kPresenceSlice = 4096;

    std::size_t deliverToAll(FrameBatch& batch, const PeerLink* except);
    /// Waits while the peers but `except` that read have more than a little queued (OutboxPacer).
    void waitForOutboxes(const PeerLink* except);
    void logQueryCap(const PeerLink& from, const FrameView& frame, std::size_t asked, std::size_t answered);
    void logDroppedBody(const PeerLink& from, const FrameView& frame);
    void logOversized(const PeerLink& from, const FrameView& frame, std::size_t entries);
    void logIgnored(const PeerLink& from, const FrameView& frame);
    void logLoss(const PeerLink& peer, std::size_t lost, bool held) const;

    PresenceRegistry& presence_;
    PeerDirectory& peers_;
    const LiveSettings& settings_;
    RouteCounters& counters_;
    Tracer& tracer_;
    Poco::Logger& logger_;
    WriterPriorityMutex presenceLock_;
    LostUsers lost_;         ///< guarded by presenceLock_
    std::mutex expiryMutex_; ///< one announceLosses() at a time
    OutboxPacer pacer_;
    LogRateLimiter badBodyLog_{10};
    LogRateLimiter ignoredLog_{10};
    LogRateLimiter queryCapLog_{10};
};

} // namespace ttroute
