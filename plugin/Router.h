#pragma once

#include "Frame.h"
#include "LogRateLimiter.h"
#include "PeerDirectory.h"
#include "PresenceRegistry.h"
#include "RouteCounters.h"
#include "RouteSettings.h"

#include <Poco/Logger.h>

#include <memory>
#include <mutex>
#include <vector>

namespace ttroute
{

/// The rules of protocol.md §4–§7: what each received frame changes and who gets what.
///
/// Thread-safe: every connection thread routes its own frames. Runs of consecutive frames of
/// one read that go to the same destinations travel as one batch, written straight from the
/// read buffer. Presence updates and the notifications they cause are serialised by one
/// mutex held until those notifications are handed to the outboxes, so every msg server sees
/// status changes in the order they were applied.
class Router
{
public:
    /// The router reads and writes `presence`, delivers to `peers`, and counts into `counters`.
    Router(PresenceRegistry& presence, PeerDirectory& peers, const LiveSettings& settings, RouteCounters& counters,
           Poco::Logger& logger);

    /// Makes `peer` a destination of relays and notifications.
    void attach(std::shared_ptr<PeerLink> peer);

    /// Removes `peer` and everything it contributed to presence. With `announce`, users who
    /// thereby lost their last PC login are announced to the remaining peers (protocol.md §7).
    void detach(PeerLink& peer, bool announce);

    /// Handles the frames of one read from `from`, in order.
    void route(PeerLink& from, const std::vector<FrameView>& frames);

private:
    class Step;

    void deliverToAll(FrameBatch& batch, const PeerLink* except);
    void logDroppedBody(const PeerLink& from, const FrameView& frame);
    void logIgnored(const PeerLink& from, const FrameView& frame);

    PresenceRegistry& presence_;
    PeerDirectory& peers_;
    const LiveSettings& settings_;
    RouteCounters& counters_;
    Poco::Logger& logger_;
    std::mutex presenceOrder_;
    LogRateLimiter badBodyLog_{10};
    LogRateLimiter ignoredLog_{10};
    LogRateLimiter queryCapLog_{10};
};

} // namespace ttroute
