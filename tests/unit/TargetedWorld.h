#pragma once

// The world of the targeted-relay unit tests: four recording peers stand in for msg servers,
// with users online on known peers, and a check that a frame routed from one of them reaches
// exactly the peers it must, byte for byte, with the sent counters to match.

#include "RecordingPeer.h"
#include "RouterHarness.h"

#include "config/RouteSettings.h"
#include "routing/RouteCounters.h"

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace targetedtest
{

// Where the users of every World are online (presence is per login: any client type, any
// status but OFFLINE, hosts the user on that peer).

/// Windows on peer 2 only.
inline constexpr std::uint32_t kOnP2 = 10;
/// Windows on peer 3, Android on peer 4.
inline constexpr std::uint32_t kOnP3P4 = 20;
/// iOS on peer 3 only: a mobile-only user.
inline constexpr std::uint32_t kMobileOnP3 = 30;
/// Mac on peer 1 (the usual sender), iOS on peer 2.
inline constexpr std::uint32_t kOnP1P2 = 40;
/// Windows on peer 1 only.
inline constexpr std::uint32_t kOnP1 = 50;
/// Windows and iOS, both on peer 4.
inline constexpr std::uint32_t kPcAndMobileOnP4 = 60;
/// LEAVE on a Mac on peer 2.
inline constexpr std::uint32_t kLeaveOnP2 = 70;
/// Never online.
inline constexpr std::uint32_t kNowhere = 99;

/// Peers of a World by number (1 to 4).
using PeerSet = std::set<int>;

/// Default settings but `mode` as route.relay.mode.
ttroute::RouteSettings settingsFor(ttroute::RelayMode mode);

/// The PDUs of `commandId` the router counted as sent: one per destination.
std::uint64_t sentPdus(const ttroute::RouteCounters& counters, std::uint16_t commandId);

/// The bytes of `commandId` the router counted as sent: the frame's size per destination.
std::uint64_t sentBytes(const ttroute::RouteCounters& counters, std::uint16_t commandId);

/// Four peers (1 to 4; peer 4 takes the shared copy, as a peer that must queue does) with the
/// users above online on them; the recordings start empty.
struct World
{
    /// The world on a router in relay mode `mode`.
    explicit World(ttroute::RelayMode mode = ttroute::RelayMode::Targeted);

    /// Peer `n` (1 to 4).
    tttest::RecordingPeer& peer(int n);

    /// Forgets what every peer received so far.
    void clear();

    /// Gives `frame` a name to show in failure messages and in received(); returns `frame`.
    const std::string& name(const std::string& frame, const std::string& label);

    /// What peer `n` received, as names (see name()) or, for frames without one, their ids
    /// and for notifications and status answers their content, joined with ", ".
    std::string received(int n);

    /// Routes `frame` (one read) from peer `from` and checks that exactly `to` received it,
    /// byte for byte and once, everyone else nothing; that the sent counters grew by one PDU
    /// per destination; and that it counted as unaddressed exactly when it was a targeted
    /// frame (`targeted`) that went nowhere. `what` names the case in failure messages.
    void expect(int from, const std::string& frame, const PeerSet& to, bool targeted, const std::string& what);

    /// expect() for a frame targeted mode addresses to `to` (nobody: unaddressed).
    void expectTargeted(int from, const std::string& frame, const PeerSet& to, const std::string& what);

    /// expect() for a frame that keeps the broadcast rules: every peer but the sender, or with
    /// it (`includeSender`).
    void expectBroadcast(int from, const std::string& frame, const std::string& what, bool includeSender = false);

    /// The router and its counters.
    tttest::RouterHarness h;
    /// Peers 1 to 4, in order.
    std::vector<std::shared_ptr<tttest::RecordingPeer>> peers;
    /// The names given to frames by name(), by their bytes.
    std::map<std::string, std::string> names;
};

} // namespace targetedtest
