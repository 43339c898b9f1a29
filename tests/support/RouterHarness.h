#pragma once

#include "RecordingPeer.h"

#include "config/LiveSettings.h"
#include "config/RouteSettings.h"
#include "presence/PresenceRegistry.h"
#include "routing/PeerDirectory.h"
#include "routing/RouteCounters.h"
#include "routing/Router.h"

#include <memory>
#include <string>

namespace tttest
{

/// A ttroute::Router with everything it needs (presence, directory, live settings, counters,
/// a logger that keeps its lines out of the test output) and RecordingPeers to route between.
/// The members are public: tests read the counters and presence and drive the router and
/// settings directly.
struct RouterHarness
{
    /// A router with `routeSettings` in force and no peers.
    explicit RouterHarness(const ttroute::RouteSettings& routeSettings = ttroute::RouteSettings{});
    ~RouterHarness();

    RouterHarness(const RouterHarness&) = delete;
    RouterHarness& operator=(const RouterHarness&) = delete;

    /// A new RecordingPeer (see its constructor for `takesShared`), attached to the router.
    std::shared_ptr<RecordingPeer> attach(ttroute::ConnectionId id, bool takesShared = false);

    /// Routes the frames of `stream`, which must be whole frames, as one read from `from`; the
    /// read buffer is overwritten afterwards, so nothing may still point into it.
    void route(RecordingPeer& from, const std::string& stream);

    /// What the router logged so far, a line per message.
    std::string log() const;

    /// Who is online where.
    ttroute::PresenceRegistry presence;
    /// The attached peers.
    ttroute::PeerDirectory directory;
    /// The settings in force; update() them to reconfigure the router live.
    ttroute::LiveSettings settings;
    /// What the router counted.
    ttroute::RouteCounters counters;
    /// The traces running; start() one to see the router's trace lines.
    ttroute::Tracer tracer;
    /// The router under test.
    ttroute::Router router;
};

} // namespace tttest
