#pragma once

#include "config/LiveSettings.h"
#include "config/RouteSettings.h"
#include "connections/DeadlineWorker.h"
#include "connections/DisconnectLog.h"
#include "connections/Peer.h"
#include "presence/PresenceRegistry.h"
#include "routing/FrameBatch.h"
#include "routing/PeerDirectory.h"
#include "routing/RouteCounters.h"
#include "routing/Router.h"
#include "routing/Tracer.h"

#include <Poco/Logger.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Timespan.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

namespace ttroute
{

/// Everything the route server's connections share: settings, presence, peers, router,
/// counters, and the bookkeeping that lets reconfigure() and stop() reach every connection.
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

    /// Totals for operators.
    RouteCounters& counters() { return counters_; }

    /// Bytes queued for all peers.
    OutboxGauge& outboxGauge() { return outboxGauge_; }

    /// The traces running (GET /trace).
    Tracer& tracer() { return tracer_; }

    /// The connections that ended lately (GET /disconnects).
    DisconnectLog& disconnects() { return disconnects_; }

    /// The peers served now, for operators' inspection.
    std::vector<std::shared_ptr<Peer>> connections();

    /// Where the route server logs.
    Poco::Logger& logger() const { return logger_; }

    /// A fresh connection id; ids are never reused.
    ConnectionId nextConnectionId() { return nextConnectionId_.fetch_add(1, std::memory_order_relaxed); }

    /// The HEARTBEAT frame (protocol.md §7), built once and shared by every connection.
    const SharedBytes& heartbeatFrame() const { return heartbeatFrame_; }

    /// True when a connection from `remote` may be served (route.allow); logs a refusal.
    bool accepts(const Poco::Net::SocketAddress& remote);

    /// What admit() decided.
    struct Admission
    {
        enum class Outcome
        {
            Admitted, ///< routed from now on; retire() must follow
            Full,     ///< max_connections are served already, and none of them may make room
            Stopping, ///< the server is stopping
        };
        Outcome outcome;
        std::shared_ptr<Peer> evicted; ///< the connection closed to make room for it, if any
    };

    /// Starts routing for `peer` unless the service is stopping. When max_connections are
    /// served already, it makes room by closing the oldest connection that has sent no whole
    /// PDU, or else the oldest that has routed and registered nothing (PeerStanding); when
    /// every one has, `peer` is refused. The caller must call retire() after the peer's last
    /// use when it was admitted.
    Admission admit(const std::shared_ptr<Peer>& peer);

    /// Ends routing for an admitted peer (announcing its users' loss after the grace unless
    /// stopping). Never throws: it runs on every way out of a connection.
    void retire(Peer& peer) noexcept;

    /// Asks connection `id` to end gracefully (DisconnectReason::Drained): what is queued for
    /// it is sent first, and its users are handled as any lost connection's. Returns the
    /// peer, or nullptr when no such connection is served.
    std::shared_ptr<Peer> drain(ConnectionId id);

    /// When connections must give up flushing during a stop.
    std::chrono::steady_clock::time_point drainDeadline() const;

    /// Puts `settings` in force: limits and timeouts at their next use (connection threads
    /// are woken to re-plan their deadlines), and connections outside a narrowed allowlist closed.
    void reconfigure(const RouteSettings& settings);

    /// Asks every connection to end after flushing for up to `drainTimeout`, and waits a
    /// little longer than that at most for their handlers to retire them; the host joins
    /// the handler threads afterwards.
    void stop(Poco::Timespan drainTimeout);

private:
    DeadlineWorker::Clock::time_point announceLosses(DeadlineWorker::Clock::time_point now) noexcept;

    LiveSettings settings_;
    Poco::Logger& logger_;
    PresenceRegistry presence_;
    PeerDirectory peers_;
    RouteCounters counters_;
    OutboxGauge outboxGauge_;
    Tracer tracer_;
    DisconnectLog disconnects_;
    Router router_;
    SharedBytes heartbeatFrame_;
    std::atomic<ConnectionId> nextConnectionId_{1};

    std::mutex mutex_;
    std::condition_variable retired_;
    std::vector<std::shared_ptr<Peer>> connections_; ///< admitted and not yet retired, oldest first
    std::size_t evicting_ = 0; ///< of connections_, those closed to make room and not yet retired
    std::atomic<bool> stopping_{false};
    std::atomic<std::int64_t> drainDeadlineNs_{0};
    DeadlineWorker lossAnnouncer_; ///< announces lost connections' users when their grace is over; last: first to stop
};

} // namespace ttroute
