// The router in targeted relay mode (protocol.md §6, beyond), without sockets: recording peers
// stand in for four msg servers with users placed on known peers. For every targeted command,
// exactly the peers hosting its users receive the frame byte for byte and the sender never
// does; a user online nowhere else costs no send and is counted; group traffic, sign-info
// changes and bodies that do not parse keep the broadcast rules; per-peer order within one
// read; the sent counters; a live switch of the mode; and peers that go away.
#include "DiagnosticText.h"
#include "ProtocolConstants.h"
#include "RecordingPeer.h"
#include "RelayedFrames.h"
#include "RouterHarness.h"
#include "WireFrames.h"
#include "config/RouteSettings.h"
#include "routing/RouteCounters.h"
#include "wire/ProtocolIds.h"

#include "IM.BaseDefine.pb.h"
#include "IM.Buddy.pb.h"
#include "IM.File.pb.h"
#include "IM.Group.pb.h"
#include "IM.Message.pb.h"
#include "IM.Server.pb.h"
#include "IM.SwitchService.pb.h"

#include <cppunit/extensions/HelperMacros.h>

#include <functional>
#include <map>
#include <set>
#include <thread>

using ttroute::ConnectionId;
using ttroute::RelayMode;
using ttroute::RouteCounters;
using ttroute::RouteSettings;
using tttest::fileNotify;
using tttest::fileNotifyBody;
using tttest::groupChange;
using tttest::kickUser;
using tttest::kickUserBody;
using tttest::p2p;
using tttest::p2pBody;
using tttest::readNotify;
using tttest::readNotifyBody;
using tttest::RecordingPeer;
using tttest::removeSession;
using tttest::removeSessionBody;
using tttest::signInfo;
using tttest::WireFrame;
using namespace tttest::protocol;

namespace
{

// Where the users of every test World are online (presence is per login: any client type,
// any status but OFFLINE, hosts the user on that peer).
constexpr std::uint32_t kOnP2 = 10;           ///< Windows on peer 2 only
constexpr std::uint32_t kOnP3P4 = 20;         ///< Windows on peer 3, Android on peer 4
constexpr std::uint32_t kMobileOnP3 = 30;     ///< iOS on peer 3 only: a mobile-only user
constexpr std::uint32_t kOnP1P2 = 40;         ///< Mac on peer 1 (the usual sender), iOS on peer 2
constexpr std::uint32_t kOnP1 = 50;           ///< Windows on peer 1 only
constexpr std::uint32_t kPcAndMobileOnP4 = 60; ///< Windows and iOS, both on peer 4
constexpr std::uint32_t kLeaveOnP2 = 70;      ///< LEAVE on a Mac on peer 2
constexpr std::uint32_t kNowhere = 99;        ///< never online

using PeerSet = std::set<int>;

// Frames of the relayed commands, with the users in the fields protocol.md §3 names.

IM::Message::IMMsgData msgDataBody(std::uint32_t from, std::uint32_t to, std::uint32_t n)
{
    IM::Message::IMMsgData data;
    data.set_from_user_id(from);
    data.set_to_session_id(to);
    data.set_msg_id(n);
    data.set_create_time(1700000000 + n);
    data.set_msg_type(IM::BaseDefine::MSG_TYPE_SINGLE_TEXT);
    data.set_msg_data("message " + std::to_string(n));
    return data;
}

std::string msgData(std::uint32_t from, std::uint32_t to, std::uint32_t n, std::uint32_t msgType = 0x01, std::uint16_t seq = 0)
{
    auto data = msgDataBody(from, to, n);
    data.set_msg_type(static_cast<IM::BaseDefine::MsgType>(msgType));
    return tttest::makeFrame(3, kMsgData, seq, data);
}

/// A targeted command: how to build it with `target` in the field that decides where it goes
/// and `other` in its other user-ish field, and whether `other` is a user it goes to as well.
struct TargetedCommand
{
    std::uint16_t commandId;
    std::string name;
    std::function<std::string(std::uint32_t target, std::uint32_t other, std::uint32_t n)> build;
    bool otherIsTarget; ///< MSG_DATA's from_user_id, SWITCH_P2P_CMD's from_user_id
};

const std::vector<TargetedCommand>& targetedCommands()
{
    static const std::vector<TargetedCommand> commands = {
        {kMsgData, "MSG_DATA single text", [](std::uint32_t t, std::uint32_t o, std::uint32_t n) { return msgData(o, t, n, 0x01); }, true},
        {kMsgData, "MSG_DATA single audio", [](std::uint32_t t, std::uint32_t o, std::uint32_t n) { return msgData(o, t, n, 0x02); }, true},
        {kSwitchP2PCmd, "SWITCH_P2P_CMD", [](std::uint32_t t, std::uint32_t o, std::uint32_t n) { return p2p(o, t, n); }, true},
        {kFileNotify, "FILE_NOTIFY", [](std::uint32_t t, std::uint32_t o, std::uint32_t n) { return fileNotify(o, t, n); }, false},
        {kMsgReadNotify, "MSG_READ_NOTIFY", [](std::uint32_t t, std::uint32_t o, std::uint32_t n) { return readNotify(t, o, n); }, false},
        {kServerKickUser, "OTHER_SERVER_KICK_USER",
         [](std::uint32_t t, std::uint32_t o, std::uint32_t n) { return kickUser(t, kWindows, o, static_cast<std::uint16_t>(n)); }, false},
        {kRemoveSessionNotify, "BUDDY_LIST_REMOVE_SESSION_NOTIFY",
         [](std::uint32_t t, std::uint32_t o, std::uint32_t n) { return removeSession(t, o, static_cast<std::uint16_t>(n)); }, false},
    };
    return commands;
}

const TargetedCommand& commandNamed(const std::string& name)
{
    for (const auto& command : targetedCommands())
        if (command.name == name)
            return command;
    throw std::logic_error("no command " + name);
}

RouteSettings settingsFor(RelayMode mode)
{
    RouteSettings settings;
    settings.relayMode = mode;
    return settings;
}

using Harness = tttest::RouterHarness;

std::uint64_t sentPdus(const RouteCounters& counters, std::uint16_t commandId)
{
    return counters.sent.pdus[ttroute::commandSlot(commandId)].load();
}

std::uint64_t sentBytes(const RouteCounters& counters, std::uint16_t commandId)
{
    return counters.sent.bytes[ttroute::commandSlot(commandId)].load();
}

std::uint16_t commandOf(const std::string& frame)
{
    return static_cast<std::uint16_t>((static_cast<unsigned char>(frame[10]) << 8) | static_cast<unsigned char>(frame[11]));
}

/// Four peers (1..4; peer 4 takes the shared copy, as a peer that must queue does) with the
/// users above online on them; the recordings start empty.
struct World
{
    explicit World(RelayMode mode = RelayMode::Targeted)
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

    RecordingPeer& peer(int n) { return *peers.at(static_cast<std::size_t>(n - 1)); }

    void clear()
    {
        for (auto& peer : peers)
            peer->clear();
    }

    /// Gives `frame` a name to show in failure messages.
    const std::string& name(const std::string& frame, const std::string& label)
    {
        names[frame] = label;
        return frame;
    }

    /// What `n` received, as names (see name()) or command ids.
    std::string received(int n)
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

    /// Routes `frame` (one read) from peer `from` and checks that exactly `to` received it,
    /// byte for byte and once, everyone else nothing; that the sent counters grew by one PDU
    /// per destination; and that it counted as unaddressed exactly when it was a targeted
    /// frame that went nowhere.
    void expect(int from, const std::string& frame, const PeerSet& to, bool targeted, const std::string& what)
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

    /// expect() for a frame targeted mode addresses to `to` (nobody: unaddressed).
    void expectTargeted(int from, const std::string& frame, const PeerSet& to, const std::string& what)
    {
        expect(from, frame, to, true, what);
    }

    /// expect() for a frame that keeps the broadcast rules: every peer but the sender, or with it.
    void expectBroadcast(int from, const std::string& frame, const std::string& what, bool includeSender = false)
    {
        PeerSet to = {1, 2, 3, 4};
        if (!includeSender)
            to.erase(from);
        expect(from, frame, to, false, what);
    }

    Harness h;
    std::vector<std::shared_ptr<RecordingPeer>> peers;
    std::map<std::string, std::string> names;
};

/// One row of the destination tables: sender, the users in the frame, where it must go.
struct Case
{
    int from;
    std::uint32_t target;
    std::uint32_t other;
    PeerSet to;
    const char* why;
};

/// For commands addressed to one user (FILE_NOTIFY's to_user_id, the others' user_id): `other`
/// names users hosted elsewhere, who must not matter.
const std::vector<Case> kOneUserCases = {
    {1, kOnP2, kOnP3P4, {2}, "single device elsewhere"},
    {1, kOnP3P4, kOnP2, {3, 4}, "multi-device across two peers"},
    {1, kMobileOnP3, kOnP2, {3}, "mobile-only user"},
    {1, kPcAndMobileOnP4, kMobileOnP3, {4}, "PC and mobile on one peer: once"},
    {1, kLeaveOnP2, kOnP3P4, {2}, "LEAVE hosts the user"},
    {1, kOnP1P2, kPcAndMobileOnP4, {2}, "the sender hosts the user too"},
    {2, kOnP1P2, kOnP3P4, {1}, "the sender hosts the user too, other direction"},
    {3, kOnP3P4, kOnP2, {4}, "the sender hosts one of two devices"},
    {1, kOnP1, kOnP2, {}, "online only on the sender"},
    {4, kPcAndMobileOnP4, kOnP2, {}, "online only on the sender, two logins"},
    {1, kNowhere, kOnP3P4, {}, "online nowhere"},
    {3, kNowhere, kNowhere, {}, "online nowhere, from another peer"},
};

/// For MSG_DATA and SWITCH_P2P_CMD: `other` is from_user_id, `target` the recipient; both count.
const std::vector<Case> kTwoUserCases = {
    {1, kOnP2, kOnP1, {2}, "recipient on one peer, sender's user only on the sender"},
    {1, kOnP3P4, kOnP2, {2, 3, 4}, "both users' peers, the sender's user's other device too"},
    {1, kMobileOnP3, kOnP1P2, {2, 3}, "sender's user also on the sender: its other peer only"},
    {1, kPcAndMobileOnP4, kOnP1, {4}, "PC and mobile on one peer: once"},
    {1, kOnP1P2, kLeaveOnP2, {2}, "both users on the same other peer: once"},
    {2, kOnP1P2, kOnP2, {1}, "from peer 2 back to peer 1"},
    {3, kOnP2, kOnP3P4, {2, 4}, "sender's user's other device, and the recipient"},
    {4, kOnP3P4, kPcAndMobileOnP4, {3}, "recipient's other device"},
    {4, kLeaveOnP2, kOnP3P4, {2, 3}, "LEAVE recipient, sender's user on two peers"},
    {2, kOnP3P4, kNowhere, {3, 4}, "unknown sending user, recipient known"},
    {3, kNowhere, kMobileOnP3, {}, "recipient nowhere, sending user only on the sender"},
    {1, kOnP1, kOnP1, {}, "chat with oneself, only on the sender"},
    {1, kNowhere, kOnP1, {}, "recipient nowhere"},
    {2, kNowhere, kNowhere, {}, "both nowhere"},
};

void runCases(const TargetedCommand& command)
{
    World w;
    const auto& cases = command.otherIsTarget ? kTwoUserCases : kOneUserCases;
    std::uint32_t n = 0;
    for (const Case& c : cases)
    {
        const std::string frame = command.build(c.target, c.other, ++n);
        w.expectTargeted(c.from, frame, c.to,
                         command.name + " for user " + std::to_string(c.target) + " (other " + std::to_string(c.other) + "): " + c.why);
    }
}

/// Bodies of `command` that the generated parser rejects, each with users hosted on peer 2
/// only (or on the sender only), so targeting would have narrowed them.
std::vector<std::pair<std::string, std::string>> unparsableBodies(std::uint16_t commandId)
{
    std::vector<std::pair<std::string, std::string>> bodies;
    auto addCommon = [&](const std::string& valid) {
        bodies.push_back({"truncated by one byte", valid.substr(0, valid.size() - 1)});
        bodies.push_back({"truncated to half", valid.substr(0, valid.size() / 2)});
        bodies.push_back({"empty body", std::string()});
        bodies.push_back({"garbage", std::string("\xff\xff\xff\x00\x01", 5)});
    };
    switch (commandId)
    {
        case kMsgData:
        {
            addCommon(msgDataBody(kOnP1, kOnP2, 1).SerializeAsString());
            auto missing = msgDataBody(kOnP1, kOnP2, 1);
            missing.clear_msg_id();
            bodies.push_back({"msg_id missing", missing.SerializePartialAsString()});
            auto noTarget = msgDataBody(kOnP1, kOnP2, 1);
            noTarget.clear_to_session_id();
            bodies.push_back({"to_session_id missing", noTarget.SerializePartialAsString()});
            auto badType = msgDataBody(kOnP1, kOnP2, 1);
            badType.clear_msg_type();
            bodies.push_back({"msg_type 7", tttest::withVarintField(badType.SerializePartialAsString(), 5, 7)});
            bodies.push_back({"msg_type 3", tttest::withVarintField(badType.SerializePartialAsString(), 5, 3)});
            auto wireType = msgDataBody(kOnP1, kOnP2, 1);
            wireType.clear_to_session_id();
            bodies.push_back({"to_session_id as bytes", wireType.SerializePartialAsString() + std::string("\x12\x01\x0a", 3)});
            break;
        }
        case kSwitchP2PCmd:
        {
            addCommon(p2pBody(kOnP1, kOnP2, 1).SerializeAsString());
            auto missing = p2pBody(kOnP1, kOnP2, 1);
            missing.clear_cmd_msg_data();
            bodies.push_back({"cmd_msg_data missing", missing.SerializePartialAsString()});
            auto noTarget = p2pBody(kOnP1, kOnP2, 1);
            noTarget.clear_to_user_id();
            bodies.push_back({"to_user_id missing", noTarget.SerializePartialAsString()});
            bodies.push_back({"to_user_id as bytes", noTarget.SerializePartialAsString() + std::string("\x12\x01\x0a", 3)});
            break;
        }
        case kFileNotify:
        {
            addCommon(fileNotifyBody(kOnP1, kOnP2, 1).SerializeAsString());
            auto missing = fileNotifyBody(kOnP1, kOnP2, 1);
            missing.clear_task_id();
            bodies.push_back({"task_id missing", missing.SerializePartialAsString()});
            auto noReady = fileNotifyBody(kOnP1, kOnP2, 1);
            noReady.clear_offline_ready();
            bodies.push_back({"offline_ready missing", noReady.SerializePartialAsString()});
            auto badMode = fileNotifyBody(kOnP1, kOnP2, 1);
            badMode.clear_trans_mode();
            bodies.push_back({"trans_mode 3", tttest::withVarintField(badMode.SerializePartialAsString(), 7, 3)});
            break;
        }
        case kMsgReadNotify:
        {
            addCommon(readNotifyBody(kOnP2, kOnP1, 1).SerializeAsString());
            auto missing = readNotifyBody(kOnP2, kOnP1, 1);
            missing.clear_msg_id();
            bodies.push_back({"msg_id missing", missing.SerializePartialAsString()});
            auto badType = readNotifyBody(kOnP2, kOnP1, 1);
            badType.clear_session_type();
            bodies.push_back({"session_type 3", tttest::withVarintField(badType.SerializePartialAsString(), 4, 3)});
            bodies.push_back({"session_type 0", tttest::withVarintField(badType.SerializePartialAsString(), 4, 0)});
            break;
        }
        case kServerKickUser:
        {
            addCommon(kickUserBody(kOnP2, kWindows, 1).SerializeAsString());
            auto missing = kickUserBody(kOnP2, kWindows, 1);
            missing.clear_reason();
            bodies.push_back({"reason missing", missing.SerializePartialAsString()});
            auto badType = kickUserBody(kOnP2, kWindows, 1);
            badType.clear_client_type();
            bodies.push_back({"client_type 0x13", tttest::withVarintField(badType.SerializePartialAsString(), 2, 0x13)});
            bodies.push_back({"client_type 0", tttest::withVarintField(badType.SerializePartialAsString(), 2, 0)});
            break;
        }
        case kRemoveSessionNotify:
        {
            addCommon(removeSessionBody(kOnP2, kOnP1).SerializeAsString());
            auto missing = removeSessionBody(kOnP2, kOnP1);
            missing.clear_session_id();
            bodies.push_back({"session_id missing", missing.SerializePartialAsString()});
            auto noUser = removeSessionBody(kOnP2, kOnP1);
            noUser.clear_user_id();
            bodies.push_back({"user_id missing", noUser.SerializePartialAsString()});
            auto badType = removeSessionBody(kOnP2, kOnP1);
            badType.clear_session_type();
            bodies.push_back({"session_type 9", tttest::withVarintField(badType.SerializePartialAsString(), 2, 9)});
            break;
        }
        default:
            throw std::logic_error("not a targeted command");
    }
    return bodies;
}

/// True when the generated code of `commandId`'s message accepts `body` (parsed, initialised).
bool generatedParserAccepts(std::uint16_t commandId, const std::string& body)
{
    auto accepts = [&body](google::protobuf::MessageLite&& message) { return message.ParsePartialFromString(body) && message.IsInitialized(); };
    switch (commandId)
    {
        case kMsgData: return accepts(IM::Message::IMMsgData());
        case kSwitchP2PCmd: return accepts(IM::SwitchService::IMP2PCmdMsg());
        case kFileNotify: return accepts(IM::File::IMFileNotify());
        case kMsgReadNotify: return accepts(IM::Message::IMMsgDataReadNotify());
        case kServerKickUser: return accepts(IM::Server::IMServerKickUser());
        case kRemoveSessionNotify: return accepts(IM::Buddy::IMRemoveSessionNotify());
    }
    throw std::logic_error("not a targeted command");
}

std::uint16_t serviceOf(std::uint16_t commandId)
{
    return static_cast<std::uint16_t>(commandId >> 8);
}

/// Frames for the ordering tests: a named frame and the peers it must reach.
struct Expected
{
    std::string frame;
    PeerSet to;
};

/// Each peer's expected byte stream when `frames` are routed in one read.
std::map<int, std::string> perPeer(const std::vector<Expected>& frames)
{
    std::map<int, std::string> out = {{1, ""}, {2, ""}, {3, ""}, {4, ""}};
    for (const auto& e : frames)
        for (int peer : e.to)
            out[peer] += e.frame;
    return out;
}

} // namespace

class TargetedRouterTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(TargetedRouterTest);
    CPPUNIT_TEST(singleTextMsgDataGoesToHostsOfBothUsers);
    CPPUNIT_TEST(singleAudioMsgDataGoesToHostsOfBothUsers);
    CPPUNIT_TEST(switchP2PCmdGoesToHostsOfBothUsers);
    CPPUNIT_TEST(fileNotifyGoesToHostsOfRecipientOnly);
    CPPUNIT_TEST(readNotifyGoesToHostsOfUserId);
    CPPUNIT_TEST(kickUserGoesToHostsOfUserIdWhateverClientType);
    CPPUNIT_TEST(removeSessionGoesToHostsOfUserId);
    CPPUNIT_TEST(senderNeverReceivesItsOwnTargetedFrame);
    CPPUNIT_TEST(userOnlineNowhereElseCostsNoSend);
    CPPUNIT_TEST(targetedFrameIsForwardedUntouched);
    CPPUNIT_TEST(groupMsgDataKeepsBroadcast);
    CPPUNIT_TEST(groupChangeMemberNotifyKeepsBroadcast);
    CPPUNIT_TEST(signInfoChangedStillGoesToEveryone);
    CPPUNIT_TEST(unparsableTargetedBodiesAreBroadcast);
    CPPUNIT_TEST(consecutiveFramesToSameDestinationsArriveInOrder);
    CPPUNIT_TEST(framesToDifferentDestinationsKeepPerPeerOrder);
    CPPUNIT_TEST(mixOfTargetedBroadcastAndStatusUpdatesKeepsEachPeersOrder);
    CPPUNIT_TEST(presenceChangesMoveDestinations);
    CPPUNIT_TEST(sentCountersCountOnePerDestination);
    CPPUNIT_TEST(switchingModeChangesTheNextRoute);
    CPPUNIT_TEST(broadcastModeIgnoresPresence);
    CPPUNIT_TEST(detachedPeerIsNoLongerADestination);
    CPPUNIT_TEST(peerLeftTheDirectoryBeforeItsPresenceGetsNothing);
    CPPUNIT_TEST(concurrentSendersKeepPerSenderOrder);
    CPPUNIT_TEST_SUITE_END();

public:
    void singleTextMsgDataGoesToHostsOfBothUsers() { runCases(commandNamed("MSG_DATA single text")); }

    void singleAudioMsgDataGoesToHostsOfBothUsers() { runCases(commandNamed("MSG_DATA single audio")); }

    void switchP2PCmdGoesToHostsOfBothUsers() { runCases(commandNamed("SWITCH_P2P_CMD")); }

    void fileNotifyGoesToHostsOfRecipientOnly()
    {
        runCases(commandNamed("FILE_NOTIFY"));
        // from_user_id's peers get nothing: a stock msg server delivers it to to_user_id only.
        World w;
        w.expectTargeted(1, fileNotify(kOnP2, kOnP3P4, 1), {3, 4}, "FILE_NOTIFY from a user on peer 2");
        w.expectTargeted(3, fileNotify(kOnP3P4, kOnP2, 2), {2}, "FILE_NOTIFY from a user on peers 3 and 4");
        w.expectTargeted(1, fileNotify(kOnP2, kNowhere, 3), {}, "FILE_NOTIFY to nobody, from a user on peer 2");
    }

    void readNotifyGoesToHostsOfUserId()
    {
        runCases(commandNamed("MSG_READ_NOTIFY"));
        // session_id names the other party, who is not addressed.
        World w;
        w.expectTargeted(1, readNotify(kOnP3P4, kOnP2, 1), {3, 4}, "MSG_READ_NOTIFY with session_id on peer 2");
        w.expectTargeted(1, readNotify(kNowhere, kOnP2, 2), {}, "MSG_READ_NOTIFY for nobody, session_id on peer 2");
    }

    void kickUserGoesToHostsOfUserIdWhateverClientType()
    {
        runCases(commandNamed("OTHER_SERVER_KICK_USER"));
        // client_type is not a filter: presence is per login, any client type hosts the user.
        World w;
        std::uint32_t reason = 1;
        for (std::uint32_t type : {kWindows, kMac, kIos, kAndroid})
        {
            w.expectTargeted(1, kickUser(kOnP3P4, type, reason++), {3, 4}, "KICK of a Windows+Android user as " + tttest::hex4(type));
            w.expectTargeted(1, kickUser(kMobileOnP3, type, reason++), {3}, "KICK of an iOS-only user as " + tttest::hex4(type));
            w.expectTargeted(2, kickUser(kOnP1P2, type, reason++), {1}, "KICK of a Mac+iOS user as " + tttest::hex4(type));
        }
    }

    void removeSessionGoesToHostsOfUserId()
    {
        runCases(commandNamed("BUDDY_LIST_REMOVE_SESSION_NOTIFY"));
        World w;
        IM::Buddy::IMRemoveSessionNotify group = removeSessionBody(kOnP2, kOnP3P4);
        group.set_session_type(IM::BaseDefine::SESSION_TYPE_GROUP);
        w.expectTargeted(1, tttest::makeFrame(2, kRemoveSessionNotify, 0, group), {2}, "REMOVE_SESSION of a group session");
    }

    void senderNeverReceivesItsOwnTargetedFrame()
    {
        // From every peer, for every command, for users it hosts itself (alone and with others).
        World w;
        const std::map<int, std::vector<std::pair<std::uint32_t, PeerSet>>> hosted = {
            {1, {{kOnP1, {}}, {kOnP1P2, {2}}}},
            {2, {{kOnP2, {}}, {kLeaveOnP2, {}}, {kOnP1P2, {1}}}},
            {3, {{kMobileOnP3, {}}, {kOnP3P4, {4}}}},
            {4, {{kPcAndMobileOnP4, {}}, {kOnP3P4, {3}}}},
        };
        std::uint32_t n = 100;
        for (const auto& command : targetedCommands())
            for (const auto& [from, users] : hosted)
                for (const auto& [user, to] : users)
                {
                    // Both users of a two-user command on the sender's own peer.
                    const std::string frame = command.build(user, user, ++n);
                    w.expectTargeted(from, frame, to, command.name + " for user " + std::to_string(user) + " hosted by the sender");
                }
    }

    void userOnlineNowhereElseCostsNoSend()
    {
        World w;
        // One read with only unaddressed frames: nothing delivered, each one counted once.
        std::string stream;
        std::uint32_t n = 200;
        for (const auto& command : targetedCommands())
        {
            stream += command.build(kNowhere, kNowhere, ++n);
            stream += command.build(kOnP1, kOnP1, ++n);
            stream += command.build(kNowhere, command.otherIsTarget ? kOnP1 : kOnP2, ++n);
        }
        const std::uint64_t before = w.h.counters.relayUnaddressed.load();
        std::uint64_t sentBefore = 0;
        for (const auto& slot : w.h.counters.sent.pdus)
            sentBefore += slot.load();
        w.h.route(w.peer(1), stream);
        for (int i = 1; i <= 4; ++i)
            CPPUNIT_ASSERT_EQUAL_MESSAGE("peer " + std::to_string(i), std::string(), w.received(i));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(3 * targetedCommands().size()), w.h.counters.relayUnaddressed.load() - before);
        std::uint64_t sentAfter = 0;
        for (const auto& slot : w.h.counters.sent.pdus)
            sentAfter += slot.load();
        CPPUNIT_ASSERT_EQUAL(sentBefore, sentAfter);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), w.h.counters.bodiesDropped.load());
        // All of them were received and counted as such: two MSG_DATA rows, three frames each.
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(3 * 2), w.h.counters.received.pdus[ttroute::commandSlot(kMsgData)].load());
    }

    void targetedFrameIsForwardedUntouched()
    {
        // Odd version, flag, seq, reserved and service: dispatched by command id, targeted by
        // its body, and forwarded as the exact bytes received.
        World w;
        for (const auto& command : targetedCommands())
        {
            std::string frame = command.build(kOnP3P4, kNowhere, 7);
            frame[5] = '\x07';  // version
            frame[7] = '\x09';  // flag
            frame[9] = '\x0C';  // service
            frame[12] = '\xBE'; // seq
            frame[13] = '\xEF';
            frame[14] = '\xAB'; // reserved
            frame[15] = '\xCD';
            w.expectTargeted(1, frame, {3, 4}, command.name + " with odd header fields");
        }
        // A body with a field the schema does not know is still targeted, and forwarded with it.
        const std::string body = tttest::withVarintField(msgDataBody(kOnP1, kOnP2, 3).SerializeAsString(), 15, 12345);
        w.expectTargeted(1, tttest::makeRawFrame(3, kMsgData, 0, body), {2}, "MSG_DATA with an unknown field");
        // attach_data kept.
        auto attached = msgDataBody(kOnP1, kPcAndMobileOnP4, 4);
        attached.set_attach_data(std::string("\x00\x01\x02", 3));
        w.expectTargeted(1, tttest::makeFrame(3, kMsgData, 0, attached), {4}, "MSG_DATA with attach_data");
    }

    void groupMsgDataKeepsBroadcast()
    {
        World w;
        std::uint32_t n = 0;
        for (std::uint32_t type : {0x11u, 0x12u})
        {
            const std::string t = "group MSG_DATA type " + tttest::hex4(type);
            // to_session_id is a group id; it may equal a user id, which must not matter.
            w.expectBroadcast(1, msgData(kOnP1, kOnP2, ++n, type), t + " to group id = a user on peer 2");
            w.expectBroadcast(1, msgData(kOnP1, 5000, ++n, type), t + " to a group id nobody has");
            w.expectBroadcast(3, msgData(kOnP3P4, kOnP1, ++n, type), t + " from a user on peers 3 and 4");
            w.expectBroadcast(2, msgData(kNowhere, kNowhere, ++n, type), t + " from an unknown user");
        }
    }

    void groupChangeMemberNotifyKeepsBroadcast()
    {
        World w;
        w.expectBroadcast(1, groupChange(kOnP1, 900, kOnP2), "GROUP_CHANGE_MEMBER_NOTIFY about users on peers 1 and 2");
        w.expectBroadcast(4, groupChange(kNowhere, 901, kNowhere), "GROUP_CHANGE_MEMBER_NOTIFY about unknown users");
        w.expectBroadcast(2, groupChange(kOnP2, 902, kOnP2), "GROUP_CHANGE_MEMBER_NOTIFY about a user on the sender only");
    }

    void signInfoChangedStillGoesToEveryone()
    {
        World w;
        w.expectBroadcast(1, signInfo(kOnP1, 1), "SIGN_INFO_CHANGED of a user on the sender only", true);
        w.expectBroadcast(3, signInfo(kOnP3P4, 2), "SIGN_INFO_CHANGED of a user on peers 3 and 4", true);
        w.expectBroadcast(2, signInfo(kNowhere, 3), "SIGN_INFO_CHANGED of an unknown user", true);
    }

    void unparsableTargetedBodiesAreBroadcast()
    {
        World w;
        std::uint16_t seq = 1;
        for (std::uint16_t commandId : {kMsgData, kSwitchP2PCmd, kFileNotify, kMsgReadNotify, kServerKickUser, kRemoveSessionNotify})
            for (const auto& [what, body] : unparsableBodies(commandId))
            {
                const std::string context = tttest::hex4(commandId) + " " + what;
                CPPUNIT_ASSERT_MESSAGE(context + ": the generated parser must reject it", !generatedParserAccepts(commandId, body));
                const std::string frame = tttest::makeRawFrame(serviceOf(commandId), commandId, seq++, body);
                w.expectBroadcast(1, frame, context);
                w.expectBroadcast(2, frame, context + " (sender hosts its user)");
            }
        // In one read between targeted frames, order kept and each frame to its own destinations.
        const std::string t1 = w.name(msgData(kOnP1, kOnP2, 1), "t1 {2}");
        const std::string bad = w.name(tttest::makeRawFrame(3, kMsgData, 9, msgDataBody(kOnP1, kOnP2, 2).SerializeAsString().substr(0, 10)), "bad {2,3,4}");
        const std::string t2 = w.name(p2p(kOnP1, kMobileOnP3, 3), "t2 {3}");
        w.clear();
        w.h.route(w.peer(1), t1 + bad + t2);
        CPPUNIT_ASSERT_EQUAL(std::string(), w.received(1));
        CPPUNIT_ASSERT_EQUAL(std::string("t1 {2}, bad {2,3,4}"), w.received(2));
        CPPUNIT_ASSERT_EQUAL(std::string("bad {2,3,4}, t2 {3}"), w.received(3));
        CPPUNIT_ASSERT_EQUAL(std::string("bad {2,3,4}"), w.received(4));
        CPPUNIT_ASSERT(t1 + bad == w.peer(2).bytes());
    }

    void consecutiveFramesToSameDestinationsArriveInOrder()
    {
        World w;
        // Every targeted command, each frame addressed to exactly peers 3 and 4.
        std::string toThreeAndFour;
        std::uint32_t n = 0;
        for (int round = 0; round < 3; ++round)
            for (const auto& command : targetedCommands())
                toThreeAndFour += command.build(kOnP3P4, command.otherIsTarget ? kOnP1 : kOnP2, ++n);
        w.h.route(w.peer(1), toThreeAndFour);
        CPPUNIT_ASSERT(!w.peer(1).received());
        CPPUNIT_ASSERT(!w.peer(2).received());
        for (int i : {3, 4})
        {
            CPPUNIT_ASSERT_MESSAGE("peer " + std::to_string(i), toThreeAndFour == w.peer(i).bytes());
            CPPUNIT_ASSERT_EQUAL(std::size_t(3 * targetedCommands().size()), w.peer(i).frames().size());
            // Router.h: a run of consecutive frames with the same destinations travels as one batch.
            CPPUNIT_ASSERT_EQUAL_MESSAGE("peer " + std::to_string(i) + " batches", std::size_t(1), w.peer(i).batchCount());
        }
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(3 * 2 * 2), sentPdus(w.h.counters, kMsgData)); // 6 frames x 2 peers

        // From peer 3, 40 MSG_DATA from user 20 (also on peer 4) to users on peer 2: all to {2, 4}.
        w.clear();
        std::string toTwo;
        for (std::uint32_t i = 0; i < 40; ++i)
            toTwo += msgData(kOnP3P4, i % 2 ? kOnP2 : kLeaveOnP2, 1000 + i);
        w.h.route(w.peer(3), toTwo);
        CPPUNIT_ASSERT(toTwo == w.peer(2).bytes());
        CPPUNIT_ASSERT(toTwo == w.peer(4).bytes());
        CPPUNIT_ASSERT(!w.peer(1).received());
        CPPUNIT_ASSERT(!w.peer(3).received());
    }

    void framesToDifferentDestinationsKeepPerPeerOrder()
    {
        World w;
        std::vector<Expected> frames;
        std::uint32_t n = 0;
        // Destinations change from frame to frame, come back, overlap, and include nobody.
        const std::vector<std::pair<std::uint32_t, PeerSet>> targets = {
            {kOnP2, {2}},           {kOnP3P4, {3, 4}},  {kOnP2, {2}},          {kNowhere, {}},
            {kMobileOnP3, {3}},     {kOnP3P4, {3, 4}},  {kOnP3P4, {3, 4}},     {kPcAndMobileOnP4, {4}},
            {kOnP1P2, {2}},         {kOnP1, {}},        {kLeaveOnP2, {2}},     {kMobileOnP3, {3}},
            {kPcAndMobileOnP4, {4}}, {kOnP2, {2}},       {kOnP3P4, {3, 4}},     {kNowhere, {}},
        };
        for (int round = 0; round < 2; ++round)
            for (const auto& command : targetedCommands())
                for (const auto& [user, to] : targets)
                {
                    // The other field names the sender's own user (on peer 1 only), so it adds no peer.
                    const std::string frame = command.build(user, kOnP1, ++n);
                    frames.push_back({w.name(frame, command.name + "#" + std::to_string(n)), to});
                }
        std::string stream;
        for (const auto& e : frames)
            stream += e.frame;
        const std::uint64_t before = w.h.counters.relayUnaddressed.load();
        w.h.route(w.peer(1), stream);
        const auto expected = perPeer(frames);
        for (int i = 1; i <= 4; ++i)
        {
            std::vector<std::string> names;
            for (const auto& e : frames)
                if (e.to.count(i))
                    names.push_back(w.names[e.frame]);
            std::string wanted;
            for (const auto& name : names)
                wanted += (wanted.empty() ? "" : ", ") + name;
            CPPUNIT_ASSERT_EQUAL_MESSAGE("peer " + std::to_string(i), wanted, w.received(i));
            CPPUNIT_ASSERT_MESSAGE("peer " + std::to_string(i) + " bytes", expected.at(i) == w.peer(i).bytes());
        }
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(2 * 3 * targetedCommands().size()), w.h.counters.relayUnaddressed.load() - before);
    }

    void mixOfTargetedBroadcastAndStatusUpdatesKeepsEachPeersOrder()
    {
        World w;
        const PeerSet all = {1, 2, 3, 4}, others = {2, 3, 4};
        auto named = [&w](const std::string& frame, const std::string& name) { return w.name(frame, name); };
        auto login = [](std::uint32_t user, int on) { return "7/070e " + std::to_string(user) + " login=" + std::to_string(on); };
        auto buddy = [](std::uint32_t user, std::uint32_t status) { return "2/0203 " + std::to_string(user) + " status=" + std::to_string(status); };
        const std::vector<std::pair<std::string, PeerSet>> script = {
            {named(msgData(kOnP1, kOnP2, 1), "msg->10"), {2}},
            {tttest::statusUpdate(51, kOnline, kWindows), {}}, // login + buddy to all
            {named(msgData(kOnP1, kOnP3P4, 2), "msg->20"), {3, 4}},
            {named(msgData(kOnP1, kOnP2, 3, 0x11), "group msg"), others},
            {named(signInfo(kOnP1, 4), "sign"), all},
            {named(readNotify(kOnP2, kOnP1, 5), "read 10"), {2}},
            {tttest::statusRequest(0x77, 5, {kOnP2, 51}), {}}, // reply to peer 1
            {named(kickUser(kNowhere, kWindows, 6), "kick 99"), {}},
            {tttest::statusUpdate(51, kOffline, kWindows), {}}, // buddy offline to all
            {named(fileNotify(kOnP1, kOnP3P4, 7), "file->20"), {3, 4}},
            {named(p2p(kOnP1P2, kPcAndMobileOnP4, 8), "p2p 40->60"), {2, 4}},
            {named(groupChange(kOnP1, 77, kOnP2), "group change"), others},
            {tttest::statusUpdate(kOnP1P2, kOffline, kMac), {}}, // 40 keeps iOS on peer 2: login 0 + buddy offline
            {named(removeSession(kOnP1P2, kOnP2), "remove 40"), {2}},
            {tttest::heartbeat(), {}},
            {named(msgData(kOnP1, kMobileOnP3, 9), "msg->30"), {3}},
            {named(msgData(kOnP1, kMobileOnP3, 10, 0x02), "audio->30"), {3}},
            {named(kickUser(kOnP3P4, kAndroid, 11), "kick 20"), {3, 4}},
        };
        std::string stream;
        for (const auto& [frame, to] : script)
            stream += frame;
        w.h.route(w.peer(1), stream);

        const std::vector<std::pair<std::string, PeerSet>> tokens = {
            {"msg->10", {2}},
            {login(51, 1), all},
            {buddy(51, kOnline), all},
            {"msg->20", {3, 4}},
            {"group msg", others},
            {"sign", all},
            {"read 10", {2}},
            {"2/020b seq=119", {1}},
            {buddy(51, kOffline), all},
            {"file->20", {3, 4}},
            {"p2p 40->60", {2, 4}},
            {"group change", others},
            {login(kOnP1P2, 0), all},
            {buddy(kOnP1P2, kOffline), all},
            {"remove 40", {2}},
            {"msg->30", {3}},
            {"audio->30", {3}},
            {"kick 20", {3, 4}},
        };
        for (int i = 1; i <= 4; ++i)
        {
            std::string wanted;
            for (const auto& [token, to] : tokens)
                if (to.count(i))
                    wanted += (wanted.empty() ? "" : ", ") + token;
            CPPUNIT_ASSERT_EQUAL_MESSAGE("peer " + std::to_string(i), wanted, w.received(i));
        }
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), w.h.counters.relayUnaddressed.load());
    }

    void presenceChangesMoveDestinations()
    {
        World w;
        // 20's Android login on peer 4 ends: only peer 3 hosts it now.
        w.h.route(w.peer(4), tttest::statusUpdate(kOnP3P4, kOffline, kAndroid));
        w.expectTargeted(1, msgData(kOnP1, kOnP3P4, 1), {3}, "MSG_DATA to 20 after its Android logoff");
        // 60 had two logins on peer 4; one ending leaves it hosted there.
        w.h.route(w.peer(4), tttest::statusUpdate(kPcAndMobileOnP4, kOffline, kWindows));
        w.expectTargeted(1, kickUser(kPcAndMobileOnP4, kIos, 1), {4}, "KICK of 60 after its Windows logoff");
        // An OFFLINE for a client type the peer has no login of changes nothing.
        w.h.route(w.peer(3), tttest::statusUpdate(kMobileOnP3, kOffline, kAndroid));
        w.expectTargeted(1, readNotify(kMobileOnP3, kOnP1, 2), {3}, "MSG_READ_NOTIFY to 30 after an OFFLINE for a type it lacks");
        // ... and an OFFLINE from a peer that does not host the user changes nothing either.
        w.h.route(w.peer(2), tttest::statusUpdate(kMobileOnP3, kOffline, kIos));
        w.expectTargeted(1, readNotify(kMobileOnP3, kOnP1, 3), {3}, "MSG_READ_NOTIFY to 30 after another peer's OFFLINE");
        // 30 logs off: online nowhere.
        w.h.route(w.peer(3), tttest::statusUpdate(kMobileOnP3, kOffline, kIos));
        w.expectTargeted(1, fileNotify(kOnP1, kMobileOnP3, 4), {}, "FILE_NOTIFY to 30 after it logged off");
        // A new login anywhere, any type, any non-OFFLINE status: a destination at once.
        w.h.route(w.peer(2), tttest::statusUpdate(kNowhere, kLeave, kAndroid));
        w.expectTargeted(1, p2p(kOnP1, kNowhere, 5), {2}, "SWITCH_P2P_CMD to 99 after its LEAVE login on peer 2");
        w.h.route(w.peer(4), tttest::onlineUserInfo({{kNowhere, kOnline, kMac}}));
        w.expectTargeted(1, removeSession(kNowhere, 1), {2, 4}, "REMOVE_SESSION to 99 after ONLINE_USER_INFO on peer 4");
        w.expectTargeted(2, removeSession(kNowhere, 2), {4}, "REMOVE_SESSION to 99 from peer 2");
    }

    void sentCountersCountOnePerDestination()
    {
        World w;
        const std::uint64_t pdus = sentPdus(w.h.counters, kMsgData), bytes = sentBytes(w.h.counters, kMsgData);
        const std::uint64_t relayed = w.h.counters.framesRelayed.load();
        const std::string toThree = msgData(kOnP2, kOnP3P4, 1);  // {2,3,4}
        const std::string toOne = msgData(kOnP1, kOnP2, 2);      // {2}
        const std::string toTwo = msgData(kOnP1, kOnP3P4, 3);    // {3,4}
        const std::string toNobody = msgData(kOnP1, kNowhere, 4); // {}
        const std::string group = msgData(kOnP1, kOnP2, 5, 0x12); // broadcast: {2,3,4}
        w.h.route(w.peer(1), toThree + toOne + toTwo + toNobody + group);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(3 + 1 + 2 + 0 + 3), sentPdus(w.h.counters, kMsgData) - pdus);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(3 * toThree.size() + toOne.size() + 2 * toTwo.size() + 3 * group.size()),
                             sentBytes(w.h.counters, kMsgData) - bytes);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(5), w.h.counters.received.pdus[ttroute::commandSlot(kMsgData)].load());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), w.h.counters.relayUnaddressed.load());
        // framesRelayed counts source frames that went somewhere, not destinations.
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(4), w.h.counters.framesRelayed.load() - relayed);
        // Broadcast and targeted frames alternating in one read: each counted once.
        const std::uint64_t relayedBefore = w.h.counters.framesRelayed.load();
        w.h.route(w.peer(1), group + toThree + group + toOne + toNobody + group);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(5), w.h.counters.framesRelayed.load() - relayedBefore);
        // Other commands count in their own slots, once per destination too.
        const std::uint64_t kicks = sentPdus(w.h.counters, kServerKickUser), files = sentPdus(w.h.counters, kFileNotify);
        w.h.route(w.peer(3), kickUser(kOnP1P2, kWindows, 1) + fileNotify(kOnP2, kOnP3P4, 2) + kickUser(kOnP3P4, kIos, 3));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(2 + 1), sentPdus(w.h.counters, kServerKickUser) - kicks); // {1,2} + {4}
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), sentPdus(w.h.counters, kFileNotify) - files);  // {4}
        std::uint64_t delivered = 0;
        for (int i = 1; i <= 4; ++i)
            delivered += w.peer(i).frames().size();
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(9 + (3 + 3 + 3 + 1 + 3) + 4), delivered);
    }

    void switchingModeChangesTheNextRoute()
    {
        World w;
        const std::string frame = msgData(kOnP1, kOnP2, 1);
        w.expectTargeted(1, frame, {2}, "targeted at start");
        w.h.settings.update(settingsFor(RelayMode::Broadcast));
        w.expectBroadcast(1, frame, "right after switching to broadcast");
        w.expectBroadcast(1, msgData(kOnP1, kNowhere, 2), "to nobody, in broadcast mode");
        w.expectBroadcast(3, kickUser(kOnP3P4, kWindows, 3), "KICK in broadcast mode");
        w.h.settings.update(settingsFor(RelayMode::Targeted));
        w.expectTargeted(1, frame, {2}, "right after switching back to targeted");
        w.expectTargeted(3, kickUser(kOnP3P4, kWindows, 4), {4}, "KICK back in targeted mode");
        // A broadcast World switched to targeted, and the presence it gathered meanwhile is used.
        World b(RelayMode::Broadcast);
        b.expectBroadcast(2, fileNotify(kOnP1, kMobileOnP3, 5), "FILE_NOTIFY in a broadcast world");
        b.h.settings.update(settingsFor(RelayMode::Targeted));
        b.expectTargeted(2, fileNotify(kOnP1, kMobileOnP3, 6), {3}, "FILE_NOTIFY right after switching to targeted");
        // Several switches in a row: each route() sees the mode of the moment.
        for (int i = 0; i < 6; ++i)
        {
            const bool targeted = i % 2 == 0;
            w.h.settings.update(settingsFor(targeted ? RelayMode::Targeted : RelayMode::Broadcast));
            const std::string f = p2p(kOnP1, kPcAndMobileOnP4, static_cast<std::uint32_t>(10 + i));
            if (targeted)
                w.expectTargeted(1, f, {4}, "switch " + std::to_string(i));
            else
                w.expectBroadcast(1, f, "switch " + std::to_string(i));
        }
    }

    void broadcastModeIgnoresPresence()
    {
        // The default: protocol.md §6's table, whatever the bodies say; nothing is unaddressed.
        World w(RelayMode::Broadcast);
        std::uint32_t n = 0;
        for (const auto& command : targetedCommands())
            for (const auto& [user, other] : std::vector<std::pair<std::uint32_t, std::uint32_t>>{{kOnP2, kOnP1}, {kNowhere, kNowhere}, {kOnP1, kOnP1}})
                w.expectBroadcast(1, command.build(user, other, ++n), command.name + " in broadcast mode for " + std::to_string(user));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), w.h.counters.relayUnaddressed.load());
    }

    void detachedPeerIsNoLongerADestination()
    {
        World w;
        w.h.router.detach(w.peer(2), true);
        w.clear();
        // 10 was only on peer 2: nowhere now.
        w.expectTargeted(1, msgData(kOnP1, kOnP2, 1), {}, "MSG_DATA to 10 after peer 2 left");
        // 40 was on peers 1 and 2: only on the sender now.
        w.expectTargeted(1, kickUser(kOnP1P2, kMac, 2), {}, "KICK of 40 after peer 2 left");
        w.expectTargeted(3, kickUser(kOnP1P2, kMac, 3), {1}, "KICK of 40 from peer 3 after peer 2 left");
        w.expectTargeted(4, p2p(kOnP3P4, kLeaveOnP2, 4), {3}, "SWITCH_P2P_CMD 20 -> 70 after peer 2 left");
        // Broadcasts skip it too.
        w.expect(1, msgData(kOnP1, kOnP2, 5, 0x11), {3, 4}, false, "group MSG_DATA after peer 2 left");
        CPPUNIT_ASSERT(!w.peer(2).received());

        // Without announcements: the same.
        World v;
        v.h.router.detach(v.peer(4), false);
        v.clear();
        v.expectTargeted(1, readNotify(kOnP3P4, kOnP1, 1), {3}, "READ_NOTIFY to 20 after peer 4 left silently");
        v.expectTargeted(1, readNotify(kPcAndMobileOnP4, kOnP1, 2), {}, "READ_NOTIFY to 60 after peer 4 left silently");
        CPPUNIT_ASSERT(!v.peer(4).received());
        // A peer attached later with the same users becomes a destination.
        auto again = v.h.attach(5);
        v.h.route(*again, tttest::onlineUserInfo({{kPcAndMobileOnP4, kOnline, kAndroid}}));
        v.clear();
        v.h.route(v.peer(1), readNotify(kPcAndMobileOnP4, kOnP1, 3));
        CPPUNIT_ASSERT(readNotify(kPcAndMobileOnP4, kOnP1, 3) == again->bytes());
        for (int i = 1; i <= 4; ++i)
            CPPUNIT_ASSERT(!v.peer(i).received());
    }

    void peerLeftTheDirectoryBeforeItsPresenceGetsNothing()
    {
        // The moment inside detach() when the peer is gone from the directory but its logins
        // are not yet removed: it receives nothing, and the sent counters count only the peers
        // the frame was handed to (RouteCounters: "once per destination"; the broadcast path
        // counts what deliverToAll() delivered).
        World w;
        w.h.directory.remove(w.peer(4));
        const std::string toThreeAndFour = msgData(kOnP1, kOnP3P4, 1), toFourOnly = kickUser(kPcAndMobileOnP4, kWindows, 2);
        w.h.route(w.peer(1), toThreeAndFour + toFourOnly);
        CPPUNIT_ASSERT(!w.peer(4).received());
        CPPUNIT_ASSERT(toThreeAndFour == w.peer(3).bytes());
        CPPUNIT_ASSERT(!w.peer(1).received());
        CPPUNIT_ASSERT(!w.peer(2).received());
        const std::uint64_t msgs = sentPdus(w.h.counters, kMsgData), kicks = sentPdus(w.h.counters, kServerKickUser);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("sent PDUs counted for a MSG_DATA handed to peer 3 only (msg_data) and a KICK handed to "
                                     "nobody (server_kick_user)",
                                     std::string("msg_data=1 server_kick_user=0"),
                                     "msg_data=" + std::to_string(msgs) + " server_kick_user=" + std::to_string(kicks));
    }

    void concurrentSendersKeepPerSenderOrder()
    {
        // Four peers route targeted frames at once: each receiver gets exactly the frames
        // addressed to it, and every sender's frames in the order sent.
        Harness h(settingsFor(RelayMode::Targeted));
        std::vector<std::shared_ptr<RecordingPeer>> peers;
        for (int i = 1; i <= 4; ++i)
        {
            peers.push_back(h.attach(static_cast<ConnectionId>(i), i % 2 == 0));
            // User 100+i on peer i alone; user 200 on every peer.
            h.route(*peers.back(), tttest::onlineUserInfo({{100u + static_cast<std::uint32_t>(i), kOnline, i % 2 ? kWindows : kAndroid},
                                                           {200, kOnline, kIos}}));
        }
        constexpr std::uint32_t kReads = 200;
        std::vector<std::thread> threads;
        for (int i = 1; i <= 4; ++i)
            threads.emplace_back([&h, &peers, i] {
                const std::uint32_t self = 100u + static_cast<std::uint32_t>(i);
                for (std::uint32_t read = 0; read < kReads; ++read)
                {
                    std::string stream;
                    for (std::uint32_t k = 0; k < 4; ++k)
                    {
                        const std::uint32_t seq = read * 4 + k;
                        // From own user (only on the sender) to one other peer's user, or to user 200.
                        const std::uint32_t to = k == 3 ? 200u : 101u + (static_cast<std::uint32_t>(i) + k) % 4;
                        stream += msgData(self, to, static_cast<std::uint32_t>(i) * 1000000 + seq);
                    }
                    h.route(*peers[static_cast<std::size_t>(i - 1)], stream);
                }
            });
        for (auto& thread : threads)
            thread.join();
        for (int r = 1; r <= 4; ++r)
        {
            std::map<std::uint32_t, std::vector<std::uint32_t>> bySender;
            for (const auto& frame : peers[static_cast<std::size_t>(r - 1)]->frames())
            {
                IM::Message::IMMsgData data;
                CPPUNIT_ASSERT(frame.parse(data));
                CPPUNIT_ASSERT_MESSAGE("addressed to peer " + std::to_string(r), data.to_session_id() == 200 || data.to_session_id() == 100u + static_cast<std::uint32_t>(r));
                bySender[data.msg_id() / 1000000].push_back(data.msg_id() % 1000000);
            }
            CPPUNIT_ASSERT_MESSAGE("peer " + std::to_string(r) + " got its own frames", bySender.count(static_cast<std::uint32_t>(r)) == 0);
            for (int s = 1; s <= 4; ++s)
            {
                if (s == r)
                    continue;
                std::vector<std::uint32_t> wanted;
                for (std::uint32_t read = 0; read < kReads; ++read)
                    for (std::uint32_t k = 0; k < 4; ++k)
                        if (k == 3 || 101u + (static_cast<std::uint32_t>(s) + k) % 4 == 100u + static_cast<std::uint32_t>(r))
                            wanted.push_back(read * 4 + k);
                CPPUNIT_ASSERT_MESSAGE("peer " + std::to_string(r) + " from peer " + std::to_string(s),
                                       wanted == bySender[static_cast<std::uint32_t>(s)]);
            }
        }
        // Each sender: 3 of every 4 frames go to one peer (or to itself: unaddressed), the 4th to 3 peers.
        std::uint64_t unaddressed = 0;
        for (std::uint32_t s = 1; s <= 4; ++s)
            for (std::uint32_t k = 0; k < 3; ++k)
                unaddressed += 101u + (s + k) % 4 == 100u + s ? kReads : 0;
        CPPUNIT_ASSERT_EQUAL(unaddressed, h.counters.relayUnaddressed.load());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(TargetedRouterTest);
