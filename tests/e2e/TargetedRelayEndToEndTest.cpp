// Targeted relay (protocol.md §6, beyond) on the real tthost: started with
// route.relay.mode = targeted, four fake msg servers with users placed on known servers by
// ONLINE_USER_INFO; for every targeted command exactly the servers hosting its users receive
// the frame byte for byte (sync() on every server afterwards proves the others got nothing:
// it returns exactly what arrived before its answer); group traffic, sign-info changes and
// unparsable bodies keep the broadcast rules; logins and logoffs move the destinations; and
// the mode switched live by rewriting the properties file, both ways, takes effect with the
// very next frame. Loopback and ephemeral ports only; the child is killed if a test fails.
#include "DiagnosticText.h"
#include "FakeMsgServer.h"
#include "HostProperties.h"
#include "ProtocolConstants.h"
#include "RelayedFrames.h"
#include "RunningHost.h"
#include "WireFrames.h"

#include <cppunit/extensions/HelperMacros.h>

#include <csignal>
#include <memory>
#include <set>
#include <thread>

using tttest::fileNotify;
using tttest::FakeMsgServer;
using tttest::groupChange;
using tttest::kickUser;
using tttest::p2p;
using tttest::readNotify;
using tttest::removeSession;
using tttest::signInfo;
using tttest::RunningHost;
using tttest::WireFrame;
using namespace tttest::protocol;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace
{

// Where the users are online (the same layout as the unit suite).
constexpr std::uint32_t kOnS2 = 10;            ///< Windows on server 2 only
constexpr std::uint32_t kOnS3S4 = 20;          ///< Windows on server 3, Android on server 4
constexpr std::uint32_t kMobileOnS3 = 30;      ///< iOS on server 3 only
constexpr std::uint32_t kOnS1S2 = 40;          ///< Mac on server 1, iOS on server 2
constexpr std::uint32_t kOnS1 = 50;            ///< Windows on server 1 only
constexpr std::uint32_t kPcAndMobileOnS4 = 60; ///< Windows and iOS, both on server 4
constexpr std::uint32_t kLeaveOnS2 = 70;       ///< LEAVE on a Mac on server 2
constexpr std::uint32_t kNowhere = 99;         ///< never online

using ServerSet = std::set<int>;

/// tthost on an ephemeral loopback port relaying in `mode` ("targeted" or "broadcast").
std::string config(const std::string& mode)
{
    return tttest::HostProperties("TargetedRelayEndToEndTest").set("host.drain_timeout", "2s").set("route.relay.mode", mode).text();
}

std::string msgData(std::uint32_t from, std::uint32_t to, std::uint32_t n, std::uint32_t msgType = 0x01)
{
    return tttest::msgData(from, to, n, "e2e message " + std::to_string(n), msgType);
}

/// tthost with four fake msg servers connected to it, the users above online on them.
class Cluster
{
public:
    explicit Cluster(const std::string& mode)
        : host_(config(mode))
    {
        const std::uint16_t port = host_.process().waitForListenPort(0);
        CPPUNIT_ASSERT_MESSAGE(log(), port != 0);
        waitForLine(0, {"relay mode " + mode});
        for (int i = 0; i < 4; ++i)
            servers_.push_back(std::make_unique<FakeMsgServer>(port));
        place(1, {{kOnS1S2, kOnline, kMac}, {kOnS1, kOnline, kWindows}});
        place(2, {{kOnS2, kOnline, kWindows}, {kOnS1S2, kOnline, kIos}, {kLeaveOnS2, kLeave, kMac}});
        place(3, {{kOnS3S4, kOnline, kWindows}, {kMobileOnS3, kOnline, kIos}});
        place(4, {{kOnS3S4, kOnline, kAndroid}, {kPcAndMobileOnS4, kOnline, kWindows}, {kPcAndMobileOnS4, kOnline, kIos}});
    }

    ~Cluster()
    {
        servers_.clear();
        if (host_.process().running())
            host_.stopWith(SIGKILL);
    }

    FakeMsgServer& server(int n) { return *servers_.at(static_cast<std::size_t>(n - 1)); }

    /// Sends ONLINE_USER_INFO from server `n` and waits until the route server applied it.
    void place(int n, const std::vector<std::vector<std::uint32_t>>& entries)
    {
        server(n).send(tttest::onlineUserInfo(entries));
        const auto got = server(n).sync();
        CPPUNIT_ASSERT_MESSAGE("ONLINE_USER_INFO answered with " + tttest::describeFrames(got), got.empty());
    }

    /// Sends `frame` from server `from` and checks that exactly the servers in `to` received it,
    /// once and byte for byte, and every other server (the sender included, unless listed)
    /// nothing at all.
    void expect(int from, const std::string& frame, const ServerSet& to, const std::string& what)
    {
        const std::string context = what + " from server " + std::to_string(from) + " (expected at " + tttest::setText(to) + ")";
        server(from).send(frame);
        // The sender first: once its answer is back, the frame is in every destination's outbox.
        std::vector<std::vector<WireFrame>> got(5);
        got[static_cast<std::size_t>(from)] = server(from).sync();
        for (int n = 1; n <= 4; ++n)
            if (n != from)
                got[static_cast<std::size_t>(n)] = server(n).sync();
        for (int n = 1; n <= 4; ++n)
        {
            const auto& frames = got[static_cast<std::size_t>(n)];
            const std::string who = context + ": server " + std::to_string(n) + " got " + tttest::describeFrames(frames);
            if (to.count(n))
            {
                CPPUNIT_ASSERT_EQUAL_MESSAGE(who, std::size_t(1), frames.size());
                CPPUNIT_ASSERT_MESSAGE(who + ": the bytes differ", frame == frames[0].bytes);
            }
            else
                CPPUNIT_ASSERT_MESSAGE(who, frames.empty());
        }
    }

    /// expect() for a frame that keeps the broadcast rules.
    void expectBroadcast(int from, const std::string& frame, const std::string& what, bool includeSender = false)
    {
        ServerSet to = {1, 2, 3, 4};
        if (!includeSender)
            to.erase(from);
        expect(from, frame, to, what);
    }

    /// Sends a status update from server `n`; every server (the sender included) gets the
    /// notifications it causes, which are drained here.
    void statusUpdate(int n, std::uint32_t user, std::uint32_t status, std::uint32_t clientType)
    {
        server(n).send(tttest::statusUpdate(user, status, clientType));
        server(n).sync();
        for (int i = 1; i <= 4; ++i)
            if (i != n)
                server(i).sync();
    }

    std::string log() const { return host_.log(); }

    /// Waits for a complete log line after `from` containing every one of `parts`.
    std::string waitForLine(std::size_t from, const std::vector<std::string>& parts) const
    {
        return host_.waitForLine(from, parts, 15s);
    }

    /// Rewrites the properties file with `mode` and waits for the reload naming the change.
    void switchMode(const std::string& from, const std::string& to)
    {
        const std::size_t before = host_.mark();
        host_.rewrite(config(to));
        const std::string line = waitForLine(before, {"configuration reloaded ", "route.relay.mode: " + from + " -> " + to});
        CPPUNIT_ASSERT_MESSAGE(line, line.find("needs a restart") == std::string::npos);
    }

    /// SIGTERM, and the exit status.
    int stop()
    {
        servers_.clear();
        return host_.stopWith(SIGTERM);
    }

private:
    RunningHost host_;
    std::vector<std::unique_ptr<FakeMsgServer>> servers_;
};

} // namespace

class TargetedRelayEndToEndTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(TargetedRelayEndToEndTest);
    CPPUNIT_TEST(msgDataGoesToHostsOfBothUsers);
    CPPUNIT_TEST(switchP2PCmdGoesToHostsOfBothUsers);
    CPPUNIT_TEST(fileNotifyGoesToHostsOfRecipient);
    CPPUNIT_TEST(readNotifyKickAndRemoveSessionGoToHostsOfUserId);
    CPPUNIT_TEST(broadcastRulesKeptForGroupSignInfoAndUnparsable);
    CPPUNIT_TEST(loginsAndLogoffsMoveDestinations);
    CPPUNIT_TEST(liveSwitchOfTheModeBothWays);
    CPPUNIT_TEST_SUITE_END();

public:
    void msgDataGoesToHostsOfBothUsers()
    {
        Cluster c("targeted");
        std::uint32_t n = 0;
        for (std::uint32_t type : {0x01u, 0x02u})
        {
            const std::string t = "MSG_DATA type " + tttest::hex4(type) + ": ";
            c.expect(1, msgData(kOnS1, kOnS2, ++n, type), {2}, t + "50 -> 10");
            c.expect(1, msgData(kOnS2, kOnS3S4, ++n, type), {2, 3, 4}, t + "10 -> 20 (the sending user's server too)");
            c.expect(1, msgData(kOnS1S2, kMobileOnS3, ++n, type), {2, 3}, t + "40 -> 30 (40 also on the sender)");
            c.expect(1, msgData(kOnS1, kPcAndMobileOnS4, ++n, type), {4}, t + "50 -> 60 (two logins on one server)");
            c.expect(3, msgData(kOnS3S4, kLeaveOnS2, ++n, type), {2, 4}, t + "20 -> 70 (LEAVE; 20 on the sender and server 4)");
            c.expect(2, msgData(kLeaveOnS2, kOnS1S2, ++n, type), {1}, t + "70 -> 40 (40 on the sender and server 1)");
            c.expect(1, msgData(kOnS1, kNowhere, ++n, type), {}, t + "50 -> 99 (nobody else hosts either)");
            c.expect(4, msgData(kPcAndMobileOnS4, kPcAndMobileOnS4, ++n, type), {}, t + "60 -> 60 (only on the sender)");
        }
        CPPUNIT_ASSERT_EQUAL_MESSAGE(c.log(), 0, c.stop());
    }

    void switchP2PCmdGoesToHostsOfBothUsers()
    {
        Cluster c("targeted");
        c.expect(1, p2p(kOnS1, kOnS2, 1), {2}, "P2P 50 -> 10");
        c.expect(1, p2p(kOnS2, kOnS3S4, 2), {2, 3, 4}, "P2P 10 -> 20");
        c.expect(4, p2p(kOnS3S4, kMobileOnS3, 3), {3}, "P2P 20 -> 30 (20 on the sender and server 3)");
        c.expect(2, p2p(kNowhere, kOnS1S2, 4), {1}, "P2P 99 -> 40");
        c.expect(3, p2p(kMobileOnS3, kNowhere, 5), {}, "P2P 30 -> 99");
    }

    void fileNotifyGoesToHostsOfRecipient()
    {
        Cluster c("targeted");
        // to_user_id only: the sending user's servers get nothing.
        c.expect(1, fileNotify(kOnS2, kOnS3S4, 1), {3, 4}, "FILE 10 -> 20");
        c.expect(3, fileNotify(kOnS3S4, kOnS2, 2), {2}, "FILE 20 -> 10");
        c.expect(2, fileNotify(kOnS1S2, kOnS1S2, 3), {1}, "FILE 40 -> 40");
        c.expect(1, fileNotify(kOnS2, kNowhere, 4), {}, "FILE 10 -> 99");
        c.expect(4, fileNotify(kOnS2, kPcAndMobileOnS4, 5), {}, "FILE 10 -> 60 (only on the sender)");
    }

    void readNotifyKickAndRemoveSessionGoToHostsOfUserId()
    {
        Cluster c("targeted");
        c.expect(1, readNotify(kOnS3S4, kOnS2, 1), {3, 4}, "READ_NOTIFY for 20 (session with 10)");
        c.expect(1, readNotify(kOnS1S2, kOnS2, 2), {2}, "READ_NOTIFY for 40");
        c.expect(2, readNotify(kOnS2, kOnS3S4, 3), {}, "READ_NOTIFY for 10 (only on the sender)");
        c.expect(1, kickUser(kMobileOnS3, kWindows, 4), {3}, "KICK of 30 (client_type does not filter)");
        c.expect(3, kickUser(kOnS3S4, kAndroid, 5), {4}, "KICK of 20");
        c.expect(1, kickUser(kLeaveOnS2, kMac, 6), {2}, "KICK of 70 (LEAVE)");
        c.expect(1, kickUser(kNowhere, kWindows, 7), {}, "KICK of 99");
        c.expect(1, removeSession(kPcAndMobileOnS4, kOnS2, 8), {4}, "REMOVE_SESSION for 60");
        c.expect(4, removeSession(kOnS1S2, kOnS3S4, 9), {1, 2}, "REMOVE_SESSION for 40");
        c.expect(1, removeSession(kOnS1, kOnS2, 10), {}, "REMOVE_SESSION for 50 (only on the sender)");
    }

    void broadcastRulesKeptForGroupSignInfoAndUnparsable()
    {
        Cluster c("targeted");
        c.expectBroadcast(1, msgData(kOnS1, kOnS2, 1, 0x11), "group text to group id = a user on server 2");
        c.expectBroadcast(3, msgData(kOnS3S4, 5000, 2, 0x12), "group audio");
        c.expectBroadcast(2, groupChange(kOnS2, 900, kOnS1), "GROUP_CHANGE_MEMBER_NOTIFY");
        c.expectBroadcast(4, signInfo(kPcAndMobileOnS4, 3), "SIGN_INFO_CHANGED", true);
        // Bodies the generated parser rejects: every other server, whoever they name.
        const std::string valid = msgData(kOnS1, kOnS2, 4);
        c.expectBroadcast(1, tttest::makeRawFrame(3, 0x0301, 0, valid.substr(16, valid.size() - 17)), "MSG_DATA truncated by one byte");
        IM::Server::IMServerKickUser kick;
        kick.set_user_id(kOnS2);
        kick.set_client_type(IM::BaseDefine::CLIENT_TYPE_WINDOWS);
        c.expectBroadcast(1, tttest::makeRawFrame(7, 0x070d, 0, kick.SerializePartialAsString()), "KICK without reason");
        IM::Message::IMMsgDataReadNotify read;
        read.set_user_id(kOnS2);
        read.set_session_id(kOnS1);
        read.set_msg_id(1);
        c.expectBroadcast(1, tttest::makeRawFrame(3, 0x0304, 0, read.SerializePartialAsString() + std::string("\x20\x05", 2)),
                          "READ_NOTIFY with session_type 5");
        c.expectBroadcast(2, tttest::makeRawFrame(5, 0x0508, 0, ""), "FILE_NOTIFY with an empty body");
    }

    void loginsAndLogoffsMoveDestinations()
    {
        Cluster c("targeted");
        c.statusUpdate(4, kOnS3S4, kOffline, kAndroid);
        c.expect(1, msgData(kOnS1, kOnS3S4, 1), {3}, "MSG_DATA to 20 after its Android logoff on server 4");
        c.statusUpdate(4, kPcAndMobileOnS4, kOffline, kWindows);
        c.expect(1, kickUser(kPcAndMobileOnS4, kIos, 2), {4}, "KICK of 60 with its iOS login left on server 4");
        c.statusUpdate(3, kMobileOnS3, kOffline, kIos);
        c.expect(1, fileNotify(kOnS1, kMobileOnS3, 3), {}, "FILE_NOTIFY to 30 after it logged off");
        c.statusUpdate(2, kNowhere, kOnline, kAndroid);
        c.expect(1, p2p(kOnS1, kNowhere, 4), {2}, "P2P to 99 after its Android login on server 2");
        // A lost connection takes its users with it.
        c.server(2).close();
        c.server(1).sync(); // the loss announcements, if any, are not what this is about
        c.server(3).sync();
        c.server(4).sync();
        // Closing is asynchronous: wait for the route server to have dropped the connection,
        // shown by user 10 (only on server 2) reading OFFLINE.
        const auto deadline = Clock::now() + 10s;
        for (;;)
        {
            c.server(3).send(tttest::statusRequest(0x0101, 1, {kOnS2}));
            const WireFrame frame = c.server(3).receive();
            IM::Buddy::IMUsersStatRsp response;
            if (frame.commandId == 0x020b && frame.parse(response) && response.user_stat_list_size() == 1 &&
                response.user_stat_list(0).status() == IM::BaseDefine::USER_STATUS_OFFLINE)
                break;
            CPPUNIT_ASSERT_MESSAGE("server 2's connection still counts", Clock::now() < deadline);
            std::this_thread::sleep_for(20ms);
        }
        c.server(1).sync();
        c.server(3).sync();
        c.server(4).sync();
        c.server(1).send(kickUser(kOnS1S2, kMac, 5));
        CPPUNIT_ASSERT(c.server(1).sync().empty());
        CPPUNIT_ASSERT_MESSAGE("server 3", c.server(3).sync().empty());
        CPPUNIT_ASSERT_MESSAGE("server 4", c.server(4).sync().empty());
        c.server(4).send(kickUser(kOnS1S2, kMac, 6));
        CPPUNIT_ASSERT(c.server(4).sync().empty());
        const auto got = c.server(1).sync();
        CPPUNIT_ASSERT_EQUAL_MESSAGE(tttest::describeFrames(got), std::size_t(1), got.size());
        CPPUNIT_ASSERT(kickUser(kOnS1S2, kMac, 6) == got[0].bytes);
        CPPUNIT_ASSERT_MESSAGE("server 3", c.server(3).sync().empty());
    }

    void liveSwitchOfTheModeBothWays()
    {
        Cluster c("targeted");
        c.expect(1, msgData(kOnS1, kOnS2, 1), {2}, "targeted before the switch");
        c.switchMode("targeted", "broadcast");
        c.expectBroadcast(1, msgData(kOnS1, kOnS2, 2), "the very next frame after switching to broadcast");
        c.expectBroadcast(1, kickUser(kNowhere, kWindows, 3), "KICK of nobody in broadcast mode");
        c.expectBroadcast(3, fileNotify(kOnS1, kOnS3S4, 4), "FILE_NOTIFY in broadcast mode");
        c.switchMode("broadcast", "targeted");
        c.expect(1, msgData(kOnS1, kOnS2, 5), {2}, "the very next frame after switching back to targeted");
        c.expect(3, fileNotify(kOnS1, kOnS3S4, 6), {4}, "FILE_NOTIFY back in targeted mode");
        c.expect(1, kickUser(kNowhere, kWindows, 7), {}, "KICK of nobody back in targeted mode");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(c.log(), 0, c.stop());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(TargetedRelayEndToEndTest);
