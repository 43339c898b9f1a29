#include "TargetedWorld.h"

#include "DiagnosticText.h"
#include "ProtocolConstants.h"
#include "WireFrames.h"
#include "wire/ProtocolIds.h"

#include "IM.Buddy.pb.h"
#include "IM.Server.pb.h"

#include <cppunit/extensions/HelperMacros.h>

using ttroute::ConnectionId;
using tttest::RecordingPeer;
using namespace tttest::protocol;

namespace targetedtest
{
namespace
{

/// The command id in the header of `frame`.
std::uint16_t commandOf(const std::string& frame)
{
    return static_cast<std::uint16_t>((static_cast<unsigned char>(frame[10]) << 8) | static_cast<unsigned char>(frame[11]));
}

} // namespace

ttroute::RouteSettings settingsFor(ttroute::RelayMode mode)
{
    ttroute::RouteSettings settings;
    settings.relayMode = mode;
    return settings;
}

std::uint64_t sentPdus(const ttroute::RouteCounters& counters, std::uint16_t commandId)
{
    return counters.sent.pdus[ttroute::commandSlot(commandId)].load();
}

std::uint64_t sentBytes(const ttroute::RouteCounters& counters, std::uint16_t commandId)
{
    return counters.sent.bytes[ttroute::commandSlot(commandId)].load();
}

World::World(ttroute::RelayMode mode)
    : h(settingsFor(mode))
{
    for (int i = 1; i <= 4; ++i)
        peers.push_back(h.attach(static_cast<ConnectionId>(i), i == 4));
    h.route(peer(1), tttest::onlineUserInfo({{kOnP1P2, kOnline, kMac}, {kOnP1, kOnline, kWindows}}));
    h.route(peer(2), tttest::onlineUserInfo({{kOnP2, kOnline, kWindows}, {kOnP1P2, kOnline, kIos}, {kLeaveOnP2, kLeave, kMac}}));
    h.route(peer(3), tttest::onlineUserInfo({{kOnP3P4, kOnline, kWindows}, {kMobileOnP3, kOnline, kIos}}));
    h.route(peer(4), tttest::onlineUserInfo({{kOnP3P4, kOnline, kAndroid}, {kPcAndMobileOnP4, kOnline, kWindows},
                                             {kPcAndMobileOnP4, kOnline, kIos}}));
    clear();
}

RecordingPeer& World::peer(int n)
{
    return *peers.at(static_cast<std::size_t>(n - 1));
}

void World::clear()
{
    for (auto& peer : peers)
        peer->clear();
}

const std::string& World::name(const std::string& frame, const std::string& label)
{
    names[frame] = label;
    return frame;
}

std::string World::received(int n)
{
    std::string out;
    for (const auto& frame : peer(n).frames())
    {
        const auto named = names.find(frame.bytes);
        std::string token = named != names.end() ? named->second : std::to_string(frame.serviceId) + "/" + tttest::hex4(frame.commandId);
        if (named == names.end() && frame.commandId == 0x070e)
        {
            IM::Server::IMServerPCLoginStatusNotify notify;
            frame.parse(notify);
            token += " " + std::to_string(notify.user_id()) + " login=" + std::to_string(notify.login_status());
        }
        else if (named == names.end() && frame.commandId == 0x0203)
        {
            IM::Buddy::IMUserStatNotify notify;
            frame.parse(notify);
            token += " " + std::to_string(notify.user_stat().user_id()) + " status=" + std::to_string(notify.user_stat().status());
        }
        else if (named == names.end() && frame.commandId == 0x020b)
            token += " seq=" + std::to_string(frame.seqNum);
        out += (out.empty() ? "" : ", ") + token;
    }
    return out;
}

void World::expect(int from, const std::string& frame, const PeerSet& to, bool targeted, const std::string& what)
{
    const std::string context = what + " from peer " + std::to_string(from) + " (expected at " + tttest::setText(to) + ")";
    clear();
    const std::uint16_t command = commandOf(frame);
    const std::uint64_t unaddressedBefore = h.counters.relayUnaddressed.load();
    const std::uint64_t pdusBefore = sentPdus(h.counters, command);
    const std::uint64_t bytesBefore = sentBytes(h.counters, command);
    const std::uint64_t relayedBefore = h.counters.framesRelayed.load();
    h.route(peer(from), frame);
    for (int n = 1; n <= 4; ++n)
    {
        const std::string got = peer(n).bytes();
        const bool wanted = to.count(n) != 0;
        const std::string shown = got.empty() ? "nothing" : got == frame ? "the frame" : std::to_string(got.size()) + " other bytes";
        CPPUNIT_ASSERT_MESSAGE(context + ": peer " + std::to_string(n) + " got " + shown, (wanted ? frame : std::string()) == got);
    }
    const std::uint64_t expectUnaddressed = targeted && to.empty() ? 1 : 0;
    CPPUNIT_ASSERT_EQUAL_MESSAGE(context + ": relayUnaddressed", expectUnaddressed, h.counters.relayUnaddressed.load() - unaddressedBefore);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(context + ": sent PDUs", std::uint64_t(to.size()), sentPdus(h.counters, command) - pdusBefore);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(context + ": sent bytes", std::uint64_t(to.size() * frame.size()), sentBytes(h.counters, command) - bytesBefore);
    if (!to.empty())
        CPPUNIT_ASSERT_EQUAL_MESSAGE(context + ": framesRelayed", std::uint64_t(1), h.counters.framesRelayed.load() - relayedBefore);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(context + ": bodiesDropped", std::uint64_t(0), h.counters.bodiesDropped.load());
}

void World::expectTargeted(int from, const std::string& frame, const PeerSet& to, const std::string& what)
{
    expect(from, frame, to, true, what);
}

void World::expectBroadcast(int from, const std::string& frame, const std::string& what, bool includeSender)
{
    PeerSet to = {1, 2, 3, 4};
    if (!includeSender)
        to.erase(from);
    expect(from, frame, to, false, what);
}

} // namespace targetedtest
