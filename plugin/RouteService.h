#pragma once

#include "FrameBatch.h"
#include "Peer.h"
#include "PeerDirectory.h"
#include "PresenceRegistry.h"
#include "RouteCounters.h"
#include "RouteSettings.h"
#include "Router.h"

#include <Poco/Logger.h>
#include <Poco/Timespan.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>

namespace ttroute
{

/// Everything the route server's connections share: settings, presence, peers, router,
/// counters, and the bookkeeping that lets stop() end every connection and wait for it.
///
/// Each connection handler holds a shared_ptr to it, so it outlives the last handler.
class RouteService
{
public:
    /// A service with `settings` in force, logging to `logger`.
    RouteService(const RouteSettings& settings, Poco::Logger& logger);

    /// The settings in force.
    const LiveSettings& settings() const { return settings_; }

    /// The routing rules.
    Router& router() { return router_; }

    /// Who is online where.
    const PresenceRegistry& presence() const { return presence_; }

    /// The connected msg servers.
    const PeerDirectory& peers() const { return peers_; }

    /// Totals for operators.
    RouteCounters& counters() { return counters_; }

    /// Where the route server logs.
    Poco::Logger& logger() const { return logger_; }

    /// A fresh connection id; ids are never reused.
    ConnectionId nextConnectionId() { return nextConnectionId_.fetch_add(1, std::memory_order_relaxed); }

    /// The HEARTBEAT frame (protocol.md §7), built once and shared by every connection.
    const SharedBytes& heartbeatFrame() const { return heartbeatFrame_; }

    /// Starts routing for `peer` unless the service is stopping; the caller must call
    /// retire() after the peer's last use when this returned true.
    bool admit(const std::shared_ptr<Peer>& peer);

    /// Ends routing for an admitted peer (announcing its users' loss unless stopping).
    void retire(Peer& peer);

    /// True once stop() began.
    bool stopping() const { return stopping_.load(); }

    /// When connections must give up flushing during a stop.
    std::chrono::steady_clock::time_point drainDeadline() const;

    /// Asks every connection to end after flushing for up to `drainTimeout`, and waits for
    /// them, a little longer than that at most.
    void stop(Poco::Timespan drainTimeout);

private:
    LiveSettings settings_;
    Poco::Logger& logger_;
    PresenceRegistry presence_;
    PeerDirectory peers_;
    RouteCounters counters_;
    Router router_;
    SharedBytes heartbeatFrame_;
    std::atomic<ConnectionId> nextConnectionId_{1};

    std::mutex mutex_;
    std::condition_variable retired_;
    std::size_t admitted_ = 0;
    std::atomic<bool> stopping_{false};
    std::atomic<std::int64_t> drainDeadlineNs_{0};
};

} // namespace ttroute
