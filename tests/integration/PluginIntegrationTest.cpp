// The route plugin as tthost sees it: libttroute.so loaded through Poco::ClassLoader, started
// with a configuration view, served by a Poco TCPServer on 127.0.0.1 (ephemeral port), and
// driven by fake msg servers over real sockets (protocol.md §1, §2, §4-§7).
#include "DiagnosticText.h"
#include "FakeMsgServer.h"
#include "FrameAssertions.h"
#include "Lifeline.h"
#include "LogLines.h"
#include "MsgServerChecks.h"
#include "ProtocolConstants.h"
#include "ServedPlugin.h"
#include "WireFrames.h"

#include "tthost/ConfigError.h"
#include "tthost/ServerPlugin.h"

#include "IM.BaseDefine.pb.h"
#include "IM.Buddy.pb.h"
#include "IM.File.pb.h"
#include "IM.Group.pb.h"
#include "IM.Message.pb.h"
#include "IM.Server.pb.h"
#include "IM.SwitchService.pb.h"

#include <Poco/ClassLoader.h>
#include <Poco/Exception.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

using tttest::assertBuddyStatus;
using tttest::assertFrames;
using tttest::assertLoginStatus;
using tttest::assertNothing;
using tttest::assertSameBytes;
using tttest::assertStatusNotifications;
using tttest::connectAdmitted;
using tttest::describeFrames;
using tttest::Lifeline;
using tttest::FakeMsgServer;
using tttest::patternedBytes;
using tttest::queryStatuses;
using tttest::ServedPlugin;
using tttest::statuses;
using tttest::WireFrame;
using namespace tttest::protocol;
using namespace std::chrono_literals;

namespace
{

using Settings = ServedPlugin::Settings;
using Clock = std::chrono::steady_clock;

std::string switchP2P(std::uint32_t from, std::uint32_t to, std::uint16_t seq)
{
    IM::SwitchService::IMP2PCmdMsg msg;
    msg.set_from_user_id(from);
    msg.set_to_user_id(to);
    msg.set_cmd_msg_data("{\"cmd\":\"shake\"}");
    return tttest::makeFrame(6, 0x0601, seq, msg);
}

std::string readNotify(std::uint32_t user, std::uint32_t session, std::uint16_t seq)
{
    IM::Message::IMMsgDataReadNotify msg;
    msg.set_user_id(user);
    msg.set_session_id(session);
    msg.set_msg_id(99);
    msg.set_session_type(IM::BaseDefine::SESSION_TYPE_SINGLE);
    return tttest::makeFrame(3, 0x0304, seq, msg);
}

std::string kickUser(std::uint32_t user, std::uint16_t seq)
{
    IM::Server::IMServerKickUser msg;
    msg.set_user_id(user);
    msg.set_client_type(IM::BaseDefine::CLIENT_TYPE_WINDOWS);
    msg.set_reason(1);
    return tttest::makeFrame(7, 0x070d, seq, msg);
}

std::string groupChange(std::uint32_t user, std::uint16_t seq)
{
    IM::Group::IMGroupChangeMemberNotify msg;
    msg.set_user_id(user);
    msg.set_change_type(IM::BaseDefine::GROUP_MODIFY_TYPE_ADD);
    msg.set_group_id(777);
    for (std::uint32_t id : {1u, 2u, 3u, user})
        msg.add_cur_user_id_list(id);
    msg.add_chg_user_id_list(user);
    return tttest::makeFrame(4, 0x040b, seq, msg);
}

std::string fileNotify(std::uint32_t from, std::uint32_t to, std::uint16_t seq)
{
    IM::File::IMFileNotify msg;
    msg.set_from_user_id(from);
    msg.set_to_user_id(to);
    msg.set_file_name("report.pdf");
    msg.set_file_size(123456);
    msg.set_task_id("task-42");
    auto* address = msg.add_ip_addr_list();
    address->set_ip("10.0.0.1");
    address->set_port(8600);
    msg.set_trans_mode(IM::BaseDefine::FILE_TYPE_ONLINE);
    msg.set_offline_ready(0);
    return tttest::makeFrame(5, 0x0508, seq, msg);
}

std::string removeSession(std::uint32_t user, std::uint16_t seq)
{
    IM::Buddy::IMRemoveSessionNotify msg;
    msg.set_user_id(user);
    msg.set_session_type(IM::BaseDefine::SESSION_TYPE_SINGLE);
    msg.set_session_id(321);
    return tttest::makeFrame(2, 0x020f, seq, msg);
}

std::string signInfo(std::uint32_t user, const std::string& sign, std::uint16_t seq)
{
    IM::Buddy::IMSignInfoChangedNotify msg;
    msg.set_changed_user_id(user);
    msg.set_sign_info(sign);
    return tttest::makeFrame(2, 0x0215, seq, msg);
}

/// One PDU of every command relayed to everyone but the sender (protocol.md §6), seq nums set
/// so that a reply-like rewrite would show.
std::vector<std::string> oneToOneRelayFrames(std::uint32_t from, std::uint32_t to)
{
    return {tttest::msgData(from, to, 1001, "hello over the route"),
            switchP2P(from, to, 0x0102),
            readNotify(from, to, 0x0203),
            kickUser(to, 0x0304),
            groupChange(from, 0x0405),
            fileNotify(from, to, 0x0506),
            removeSession(from, 0x0607)};
}

/// Reads `fake` until the route server closes it and returns the frames that came first.
std::vector<WireFrame> framesUntilClosed(FakeMsgServer& fake, std::chrono::milliseconds timeout = 10s)
{
    std::vector<WireFrame> frames;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    try
    {
        for (;;)
        {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0)
                CPPUNIT_FAIL("the route server did not close the connection");
            frames.push_back(fake.receive(left));
        }
    }
    catch (const Poco::Exception&)
    {
    }
    return frames;
}

} // namespace

class PluginIntegrationTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(PluginIntegrationTest);
    CPPUNIT_TEST(libraryExportsRoutePlugin);
    CPPUNIT_TEST(startRejectsBadConfigurationNamingTheKey);
    CPPUNIT_TEST(roleSetChangesNoRouting);
    CPPUNIT_TEST(onlineUserInfoSetsPresenceWithoutNotifications);
    CPPUNIT_TEST(statusUpdatesNotifyEveryConnectionIncludingTheSender);
    CPPUNIT_TEST(multiPcAndMobileLoginsFollowTheNotificationRules);
    CPPUNIT_TEST(statusQueryAnswersInRequestOrderWithAttachData);
    CPPUNIT_TEST(statusQueryIsCappedAtMaxStatusQueryIds);
    CPPUNIT_TEST(everyRelayedCommandGoesToTheOthersByteForByte);
    CPPUNIT_TEST(signInfoChangedGoesToEveryoneIncludingTheSender);
    CPPUNIT_TEST(unknownCommandsAreDropped);
    CPPUNIT_TEST(pipelinedFramesKeepTheirOrder);
    CPPUNIT_TEST(largeMsgDataIsRelayedIntact);
    CPPUNIT_TEST(frameSplitIntoTinyWritesIsRelayedIntact);
    CPPUNIT_TEST(serverSendsHeartbeatOnAQuietLine);
    CPPUNIT_TEST(silentConnectionIsClosedAfterIdleTimeout);
    CPPUNIT_TEST(lateThreadReadsWhatArrivedBeforeCallingTheLineIdle);
    CPPUNIT_TEST(lengthBelowHeaderClosesOnlyThatConnection);
    CPPUNIT_TEST(lengthAboveMaxPduBytesClosesOnlyThatConnection);
    CPPUNIT_TEST(frameOfExactlyMaxPduBytesIsRelayed);
    CPPUNIT_TEST(framesBeforeABadHeaderAreStillRouted);
    CPPUNIT_TEST(unparsableBodiesAreDroppedAndTheConnectionStays);
    CPPUNIT_TEST(lostConnectionAnnouncesItsUsersOffline);
    CPPUNIT_TEST(slowReaderIsDroppedWithoutHurtingOthers);
    CPPUNIT_TEST(stopEndsEveryConnectionAndReturns);
    CPPUNIT_TEST(connectionsAfterStopAreRefused);
    CPPUNIT_TEST_SUITE_END();

public:
    void tearDown() override { served_.reset(); }

    void libraryExportsRoutePlugin()
    {
        Poco::ClassLoader<tthost::ServerPlugin> loader;
        loader.loadLibrary(TTROUTE_PLUGIN_PATH);
        CPPUNIT_ASSERT(loader.canCreate("RoutePlugin"));
        CPPUNIT_ASSERT(loader.findClass("Nope") == nullptr);
        {
            std::unique_ptr<tthost::ServerPlugin> plugin(loader.create("RoutePlugin"));
            CPPUNIT_ASSERT_EQUAL(std::string("ttroute"), plugin->name());
            CPPUNIT_ASSERT(!plugin->version().empty());
        }
        loader.unloadLibrary(TTROUTE_PLUGIN_PATH);
    }

    void startRejectsBadConfigurationNamingTheKey()
    {
        const std::vector<std::pair<Settings, std::string>> cases = {
            {{{"idle_timeout", "soon"}}, "idle_timeout"},
            {{{"heartbeat_interval", "1ms"}}, "heartbeat_interval"},
            {{{"max_pdu_bytes", "lots"}}, "max_pdu_bytes"},
            {{{"max_status_query_ids", "0"}}, "max_status_query_ids"},
            {{{"max_outbox_bytes", "1"}}, "max_outbox_bytes"},
            {{{"relay.mode", "multicast"}}, "relay.mode"},
            {{{"idle_timout", "5"}}, "idle_timout"},
        };
        for (const auto& [settings, key] : cases)
        {
            try
            {
                ServedPlugin served(TTROUTE_PLUGIN_PATH, settings);
                CPPUNIT_FAIL("start() accepted a bad " + key);
            }
            catch (const tthost::ConfigError& error)
            {
                CPPUNIT_ASSERT_EQUAL_MESSAGE(error.what(), key, error.key());
                CPPUNIT_ASSERT_MESSAGE(key, !error.problem().empty());
            }
        }
    }

    void roleSetChangesNoRouting()
    {
        start();
        auto master = connectAdmitted(port());
        auto slave = connectAdmitted(port());
        auto other = connectAdmitted(port());
        master->send(tttest::roleSet(true));
        slave->send(tttest::roleSet(false));
        assertNothing(master->sync(), "master after ROLE_SET");
        assertNothing(slave->sync(), "slave after ROLE_SET");
        assertNothing(other->sync(), "other after ROLE_SET");
        CPPUNIT_ASSERT_MESSAGE(served_->log(), served_->waitForLog("calls itself master"));
        CPPUNIT_ASSERT_MESSAGE(served_->log(), served_->waitForLog("calls itself slave"));

        const std::string fromMaster = tttest::msgData(1, 2, 1, "from master");
        const std::string fromSlave = tttest::msgData(2, 1, 2, "from slave");
        master->send(fromMaster);
        assertNothing(master->sync(), "master");
        slave->send(fromSlave);
        assertFrames({fromMaster}, slave->sync(), "slave");
        assertFrames({fromMaster, fromSlave}, other->sync(), "other");
        assertFrames({fromSlave}, master->sync(), "master");
    }

    void onlineUserInfoSetsPresenceWithoutNotifications()
    {
        start();
        auto a = connectAdmitted(port());
        auto b = connectAdmitted(port());
        auto c = connectAdmitted(port());
        a->send(tttest::onlineUserInfo({{11, kOnline, kWindows}, {12, kOnline, kAndroid}, {13, kLeave, kMac}, {14, kOffline, kWindows}}));
        b->send(tttest::onlineUserInfo({{15, kOnline, kIos}, {15, kOnline, kMac}}));
        assertNothing(a->sync(), "sender of ONLINE_USER_INFO");
        assertNothing(b->sync(), "sender of ONLINE_USER_INFO");
        assertNothing(c->sync(), "bystander");
        assertNothing(a->sync(), "sender of ONLINE_USER_INFO");
        // 12 is mobile only and reads OFFLINE; LEAVE on a PC is a PC login; 14 never logged in.
        const auto got = queryStatuses(*c, {11, 12, 13, 14, 15, 16});
        CPPUNIT_ASSERT_EQUAL(statuses({kOnline, kOffline, kOnline, kOffline, kOnline, kOffline}), statuses(got));
    }

    void statusUpdatesNotifyEveryConnectionIncludingTheSender()
    {
        start();
        auto a = connectAdmitted(port());
        auto b = connectAdmitted(port());
        auto c = connectAdmitted(port());
        const std::vector<FakeMsgServer*> all{a.get(), b.get(), c.get()};
        const std::vector<std::string> names{"a", "b", "c"};

        a->send(tttest::statusUpdate(21, kOnline, kWindows));
        for (std::size_t i = 0; i < all.size(); ++i)
            assertStatusNotifications(all[i]->sync(), 21, 1, kOnline, names[i] + " after 21 ONLINE");
        CPPUNIT_ASSERT_EQUAL(statuses({kOnline}), statuses(queryStatuses(*b, {21})));

        b->send(tttest::statusUpdate(22, kLeave, kMac));
        for (std::size_t i : {std::size_t(1), std::size_t(0), std::size_t(2)})
            assertStatusNotifications(all[i]->sync(), 22, 1, kLeave, names[i] + " after 22 LEAVE");

        a->send(tttest::statusUpdate(21, kOffline, kWindows));
        for (std::size_t i = 0; i < all.size(); ++i)
            assertStatusNotifications(all[i]->sync(), 21, -1, kOffline, names[i] + " after 21 OFFLINE");
        CPPUNIT_ASSERT_EQUAL(statuses({kOffline, kOnline}), statuses(queryStatuses(*c, {21, 22})));
    }

    void multiPcAndMobileLoginsFollowTheNotificationRules()
    {
        start();
        auto a = connectAdmitted(port());
        auto b = connectAdmitted(port());
        auto c = connectAdmitted(port());
        const std::vector<FakeMsgServer*> all{a.get(), b.get(), c.get()};
        auto expectEverywhere = [&](FakeMsgServer& sender, std::uint32_t user, int login, std::uint32_t buddy, const std::string& step) {
            const auto first = sender.sync();
            assertStatusNotifications(first, user, login, buddy, "sender after " + step);
            for (FakeMsgServer* fake : all)
                if (fake != &sender)
                    assertStatusNotifications(fake->sync(), user, login, buddy, "other after " + step);
        };
        auto expectNothing = [&](FakeMsgServer& sender, const std::string& step) {
            assertNothing(sender.sync(), "sender after " + step);
            for (FakeMsgServer* fake : all)
                if (fake != &sender)
                    assertNothing(fake->sync(), "other after " + step);
        };

        // The same user on two PCs through two msg servers: one PC logging off changes nothing.
        a->send(tttest::statusUpdate(30, kOnline, kWindows));
        expectEverywhere(*a, 30, 1, kOnline, "30 windows on a");
        b->send(tttest::statusUpdate(30, kOnline, kMac));
        expectEverywhere(*b, 30, 1, kOnline, "30 mac on b");
        a->send(tttest::statusUpdate(30, kOffline, kWindows));
        expectNothing(*a, "30 windows off on a, mac still on b");
        CPPUNIT_ASSERT_EQUAL(statuses({kOnline}), statuses(queryStatuses(*c, {30})));
        b->send(tttest::statusUpdate(30, kOffline, kMac));
        expectEverywhere(*b, 30, -1, kOffline, "30 last pc off");
        CPPUNIT_ASSERT_EQUAL(statuses({kOffline}), statuses(queryStatuses(*c, {30})));

        // A count never goes below zero: a surplus OFFLINE does not cancel a later login.
        a->send(tttest::statusUpdate(30, kOffline, kWindows));
        expectEverywhere(*a, 30, -1, kOffline, "30 surplus offline");
        a->send(tttest::statusUpdate(30, kOnline, kWindows));
        expectEverywhere(*a, 30, 1, kOnline, "30 on again");
        CPPUNIT_ASSERT_EQUAL(statuses({kOnline}), statuses(queryStatuses(*c, {30})));

        // Two logins of one client type on one connection: the first logout keeps the user online.
        a->send(tttest::statusUpdate(31, kOnline, kWindows));
        expectEverywhere(*a, 31, 1, kOnline, "31 first windows");
        a->send(tttest::statusUpdate(31, kOnline, kWindows));
        expectEverywhere(*a, 31, 1, kOnline, "31 second windows");
        a->send(tttest::statusUpdate(31, kOffline, kWindows));
        expectNothing(*a, "31 one windows off");
        CPPUNIT_ASSERT_EQUAL(statuses({kOnline}), statuses(queryStatuses(*b, {31})));

        // Mobile alone is silent and reads OFFLINE.
        c->send(tttest::statusUpdate(32, kOnline, kAndroid));
        expectNothing(*c, "32 android on");
        CPPUNIT_ASSERT_EQUAL(statuses({kOffline}), statuses(queryStatuses(*a, {32})));
        // A PC login next to it announces both notifications.
        b->send(tttest::statusUpdate(32, kOnline, kWindows));
        expectEverywhere(*b, 32, 1, kOnline, "32 windows on");
        // A mobile login while a PC is on: LOGIN_STATUS_NOTIFY only (not a PC type, so no buddy notify).
        a->send(tttest::statusUpdate(32, kOnline, kIos));
        for (FakeMsgServer* fake : {a.get(), b.get(), c.get()})
        {
            const auto got = fake->sync();
            CPPUNIT_ASSERT_EQUAL_MESSAGE("32 ios on next to windows: " + describeFrames(got), std::size_t(1), got.size());
            assertLoginStatus(got[0], 32, 1, "32 ios on next to windows");
        }
        // The mobile logging off while the PC is still on: nothing.
        a->send(tttest::statusUpdate(32, kOffline, kIos));
        expectNothing(*a, "32 ios off, windows still on");
        // The PC leaves while the mobile is still known: LOGIN 0 and BUDDY OFFLINE.
        b->send(tttest::statusUpdate(32, kOffline, kWindows));
        expectEverywhere(*b, 32, 0, kOffline, "32 windows off, android left");
        CPPUNIT_ASSERT_EQUAL(statuses({kOffline}), statuses(queryStatuses(*a, {32})));
        // The last mobile logout: nothing.
        c->send(tttest::statusUpdate(32, kOffline, kAndroid));
        expectNothing(*c, "32 android off");
    }

    void statusQueryAnswersInRequestOrderWithAttachData()
    {
        start();
        auto a = connectAdmitted(port());
        auto b = connectAdmitted(port());
        auto c = connectAdmitted(port());
        a->send(tttest::onlineUserInfo({{41, kOnline, kWindows}, {42, kOnline, kAndroid}}));
        assertNothing(a->sync(), "a");
        c->send(tttest::statusUpdate(43, kLeave, kMac));
        assertStatusNotifications(c->sync(), 43, 1, kLeave, "c");
        assertStatusNotifications(a->sync(), 43, 1, kLeave, "a");
        assertStatusNotifications(b->sync(), 43, 1, kLeave, "b");

        const std::string attach("\x00\x01opaque\xff attach", 15);
        b->send(tttest::statusRequest(0xBEEF, 9001, {43, 41, 42, 44, 41, 43}, &attach));
        const WireFrame frame = b->receive();
        CPPUNIT_ASSERT_EQUAL(kUsersStatusResponse, frame.commandId);
        CPPUNIT_ASSERT_EQUAL(std::uint16_t(2), frame.serviceId);
        CPPUNIT_ASSERT_EQUAL(std::uint16_t(0xBEEF), frame.seqNum);
        IM::Buddy::IMUsersStatRsp response;
        CPPUNIT_ASSERT(frame.parse(response));
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(9001), response.user_id());
        CPPUNIT_ASSERT(response.has_attach_data());
        CPPUNIT_ASSERT(attach == response.attach_data());
        const std::vector<std::pair<std::uint32_t, std::uint32_t>> expected{{43, kOnline}, {41, kOnline}, {42, kOffline},
                                                                             {44, kOffline}, {41, kOnline}, {43, kOnline}};
        CPPUNIT_ASSERT_EQUAL(static_cast<int>(expected.size()), response.user_stat_list_size());
        for (int i = 0; i < response.user_stat_list_size(); ++i)
        {
            CPPUNIT_ASSERT_EQUAL(expected[static_cast<std::size_t>(i)].first, response.user_stat_list(i).user_id());
            CPPUNIT_ASSERT_EQUAL(expected[static_cast<std::size_t>(i)].second, static_cast<std::uint32_t>(response.user_stat_list(i).status()));
        }
        // Only the asker gets the answer.
        assertNothing(a->sync(), "a after b's query");
        assertNothing(c->sync(), "c after b's query");

        // No attach data in, none out; an empty list gets an empty answer.
        b->send(tttest::statusRequest(7, 9002, {}));
        const WireFrame empty = b->receive();
        CPPUNIT_ASSERT_EQUAL(kUsersStatusResponse, empty.commandId);
        CPPUNIT_ASSERT_EQUAL(std::uint16_t(7), empty.seqNum);
        IM::Buddy::IMUsersStatRsp emptyResponse;
        CPPUNIT_ASSERT(empty.parse(emptyResponse));
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(9002), emptyResponse.user_id());
        CPPUNIT_ASSERT(!emptyResponse.has_attach_data());
        CPPUNIT_ASSERT_EQUAL(0, emptyResponse.user_stat_list_size());
    }

    void statusQueryIsCappedAtMaxStatusQueryIds()
    {
        start({{"max_status_query_ids", "3"}});
        auto a = connectAdmitted(port());
        a->send(tttest::statusUpdate(51, kOnline, kWindows));
        assertStatusNotifications(a->sync(), 51, 1, kOnline, "a");
        a->send(tttest::statusRequest(3, 1, {50, 51, 52, 51, 53}));
        const WireFrame frame = a->receive();
        IM::Buddy::IMUsersStatRsp response;
        CPPUNIT_ASSERT(frame.parse(response));
        CPPUNIT_ASSERT_EQUAL(3, response.user_stat_list_size());
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(50), response.user_stat_list(0).user_id());
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(51), response.user_stat_list(1).user_id());
        CPPUNIT_ASSERT(response.user_stat_list(1).status() == IM::BaseDefine::USER_STATUS_ONLINE);
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(52), response.user_stat_list(2).user_id());
        CPPUNIT_ASSERT_MESSAGE(served_->log(), served_->waitForLog("max_status_query_ids"));
        CPPUNIT_ASSERT_EQUAL(statuses({kOffline, kOnline, kOffline}), statuses(queryStatuses(*a, {50, 51, 52})));
    }

    void everyRelayedCommandGoesToTheOthersByteForByte()
    {
        start();
        auto a = connectAdmitted(port());
        auto b = connectAdmitted(port());
        auto c = connectAdmitted(port());
        const auto fromA = oneToOneRelayFrames(61, 62);
        for (const auto& frame : fromA)
            a->send(frame);
        assertNothing(a->sync(), "the sender");
        assertFrames(fromA, b->sync(), "b");
        assertFrames(fromA, c->sync(), "c");

        // Neither body nor header is the route server's business: a relayed PDU goes out as
        // received, odd flag and reserved fields included.
        std::string opaque = tttest::makeRawFrame(3, 0x0301, 0xFFFF, std::string("\x08\x96\x01not protobuf\x00\xff", 17));
        opaque.replace(6, 2, "\x12\x34");
        opaque.replace(14, 2, "\xab\xcd");
        c->send(opaque);
        assertNothing(c->sync(), "the sender");
        assertFrames({opaque}, a->sync(), "a");
        assertFrames({opaque}, b->sync(), "b");

        const auto fromB = oneToOneRelayFrames(62, 61);
        for (const auto& frame : fromB)
            b->send(frame);
        assertNothing(b->sync(), "the sender");
        assertFrames(fromB, a->sync(), "a");
        assertFrames(fromB, c->sync(), "c");
    }

    void signInfoChangedGoesToEveryoneIncludingTheSender()
    {
        start();
        auto a = connectAdmitted(port());
        auto b = connectAdmitted(port());
        auto c = connectAdmitted(port());
        const std::string sign = signInfo(71, "out to lunch", 0x4321);
        b->send(sign);
        assertFrames({sign}, b->sync(), "the sender");
        assertFrames({sign}, a->sync(), "a");
        assertFrames({sign}, c->sync(), "c");
    }

    void unknownCommandsAreDropped()
    {
        start();
        auto a = connectAdmitted(port());
        auto b = connectAdmitted(port());
        auto c = connectAdmitted(port());
        a->send(tttest::makeRawFrame(7, 0x0799, 1, "whatever"));
        a->send(tttest::makeRawFrame(3, 0x0302, 2, "")); // MSG_DATA_ACK: not for the route server
        a->send(tttest::makeRawFrame(7, kLoginStatusNotify, 3, "")); // route -> msg only
        a->send(tttest::makeRawFrame(2, kBuddyStatusNotify, 4, ""));
        a->send(tttest::makeRawFrame(0x1234, 0x5678, 5, std::string(100, 'u')));
        a->send(tttest::heartbeat()); // life only, never echoed
        assertNothing(a->sync(), "the sender");
        assertNothing(b->sync(), "b");
        assertNothing(c->sync(), "c");
        CPPUNIT_ASSERT_MESSAGE(served_->log(), served_->waitForLog("0x0799"));
        // The connection is still in business.
        const std::string message = tttest::msgData(1, 2, 3, "still here");
        a->send(message);
        a->sync();
        assertFrames({message}, b->sync(), "b");
    }

    void pipelinedFramesKeepTheirOrder()
    {
        start();
        auto a = connectAdmitted(port());
        auto b = connectAdmitted(port());
        auto c = connectAdmitted(port());
        const std::string m1 = tttest::msgData(81, 82, 1, "one");
        const std::string m2 = tttest::msgData(81, 82, 2, "two");
        const std::string m3 = readNotify(81, 82, 3);
        const std::string m4 = tttest::msgData(81, 82, 4, "four");
        const std::string sign = signInfo(81, "busy", 5);
        std::string burst = m1 + tttest::statusUpdate(81, kOnline, kWindows) + m2 + sign + tttest::statusRequest(0x55, 81, {81, 82}) + m3 +
                            tttest::makeRawFrame(7, 0x0799, 0, "") + m4;
        std::vector<std::string> many;
        for (std::uint16_t i = 0; i < 300; ++i)
        {
            many.push_back(tttest::msgData(81, 82, i, patternedBytes(i % 50, i)));
            burst += many.back();
        }
        a->send(burst);

        const auto atA = a->sync();
        CPPUNIT_ASSERT_EQUAL_MESSAGE(describeFrames(atA), std::size_t(4), atA.size());
        assertLoginStatus(atA[0], 81, 1, "a");
        assertBuddyStatus(atA[1], 81, kOnline, "a");
        assertSameBytes(sign, atA[2].bytes, "a sign");
        CPPUNIT_ASSERT_EQUAL(kUsersStatusResponse, atA[3].commandId);
        CPPUNIT_ASSERT_EQUAL(std::uint16_t(0x55), atA[3].seqNum);
        IM::Buddy::IMUsersStatRsp response;
        CPPUNIT_ASSERT(atA[3].parse(response));
        CPPUNIT_ASSERT_EQUAL(2, response.user_stat_list_size());
        CPPUNIT_ASSERT(response.user_stat_list(0).status() == IM::BaseDefine::USER_STATUS_ONLINE);
        CPPUNIT_ASSERT(response.user_stat_list(1).status() == IM::BaseDefine::USER_STATUS_OFFLINE);

        for (FakeMsgServer* other : {b.get(), c.get()})
        {
            const auto got = other->sync();
            CPPUNIT_ASSERT_EQUAL_MESSAGE(describeFrames(got), std::size_t(7 + many.size()), got.size());
            assertSameBytes(m1, got[0].bytes, "m1");
            assertLoginStatus(got[1], 81, 1, "other");
            assertBuddyStatus(got[2], 81, kOnline, "other");
            assertSameBytes(m2, got[3].bytes, "m2");
            assertSameBytes(sign, got[4].bytes, "sign");
            assertSameBytes(m3, got[5].bytes, "m3");
            assertSameBytes(m4, got[6].bytes, "m4");
            for (std::size_t i = 0; i < many.size(); ++i)
                assertSameBytes(many[i], got[7 + i].bytes, "pipelined " + std::to_string(i));
        }
    }

    void largeMsgDataIsRelayedIntact()
    {
        start();
        auto a = connectAdmitted(port());
        auto b = connectAdmitted(port());
        auto c = connectAdmitted(port());
        const std::string big = tttest::msgData(91, 92, 1, patternedBytes(64 * 1024, 7));
        const std::string huge = tttest::msgData(91, 92, 2, patternedBytes(3 * 1024 * 1024, 11));
        const std::string small = tttest::msgData(91, 92, 3, "after the big ones");
        a->send(big);
        a->send(huge);
        a->send(small);
        assertNothing(a->sync(), "the sender");
        assertFrames({big, huge, small}, b->sync(), "b");
        assertFrames({big, huge, small}, c->sync(), "c");
    }

    void frameSplitIntoTinyWritesIsRelayedIntact()
    {
        start();
        auto a = connectAdmitted(port());
        auto b = connectAdmitted(port());
        auto c = connectAdmitted(port());
        const std::string message = tttest::msgData(101, 102, 1, patternedBytes(300, 3));
        const std::string sign = signInfo(101, "split", 9);
        const std::string stream = tttest::statusUpdate(101, kOnline, kWindows) + message + sign + tttest::statusRequest(0x77, 101, {101});
        std::size_t at = 0;
        for (std::size_t piece = 1; at < stream.size(); piece = piece % 7 + 1)
        {
            const std::size_t count = std::min(piece, stream.size() - at);
            a->send(stream.substr(at, count));
            at += count;
            // Give the server a chance to read each piece on its own.
            std::this_thread::sleep_for(1ms);
        }
        const WireFrame login = a->receive();
        assertLoginStatus(login, 101, 1, "a");
        assertBuddyStatus(a->receive(), 101, kOnline, "a");
        assertSameBytes(sign, a->receive().bytes, "a sign");
        const WireFrame answer = a->receive();
        CPPUNIT_ASSERT_EQUAL(kUsersStatusResponse, answer.commandId);
        CPPUNIT_ASSERT_EQUAL(std::uint16_t(0x77), answer.seqNum);
        assertNothing(a->sync(), "a");
        for (FakeMsgServer* other : {b.get(), c.get()})
        {
            const auto got = other->sync();
            CPPUNIT_ASSERT_EQUAL_MESSAGE(describeFrames(got), std::size_t(4), got.size());
            assertLoginStatus(got[0], 101, 1, "other");
            assertBuddyStatus(got[1], 101, kOnline, "other");
            assertSameBytes(message, got[2].bytes, "message");
            assertSameBytes(sign, got[3].bytes, "sign");
        }
    }

    void serverSendsHeartbeatOnAQuietLine()
    {
        start({{"heartbeat_interval", "200ms"}});
        // A raw connection that never sends: the first bytes it gets must be a bare HEARTBEAT.
        Poco::Net::StreamSocket raw(Poco::Net::SocketAddress("127.0.0.1", port()));
        const std::string expected = tttest::makeRawFrame(7, kHeartbeat, 0, "");
        for (int beat = 0; beat < 2; ++beat)
        {
            std::string got;
            while (got.size() < expected.size())
            {
                CPPUNIT_ASSERT_MESSAGE("no heartbeat within 5 s", raw.poll(Poco::Timespan(5, 0), Poco::Net::Socket::SELECT_READ));
                char chunk[16];
                const int n = raw.receiveBytes(chunk, static_cast<int>(expected.size() - got.size()));
                CPPUNIT_ASSERT_MESSAGE("connection closed while waiting for a heartbeat", n > 0);
                got.append(chunk, static_cast<std::size_t>(n));
            }
            assertSameBytes(expected, got, "heartbeat " + std::to_string(beat));
        }

        // Heartbeats keep coming while a fake msg server stays quiet, and the line stays up.
        auto quiet = connectAdmitted(port());
        const auto deadline = std::chrono::steady_clock::now() + 10s;
        while (quiet->heartbeats() < 2 && std::chrono::steady_clock::now() < deadline)
            CPPUNIT_ASSERT_MESSAGE("closed while quiet", !quiet->waitClosed(100ms));
        CPPUNIT_ASSERT(quiet->heartbeats() >= 2);
        assertNothing(quiet->sync(), "quiet connection");
    }

    /// A connection that sends nothing for idle_timeout is closed and its user announced
    /// offline; one that keeps sending whole PDUs stays (a run in which this thread left the
    /// keeper silent that long proves nothing and runs again: Lifeline.h).
    void silentConnectionIsClosedAfterIdleTimeout()
    {
        constexpr auto kIdleTimeout = 600ms;
        tttest::runWhileKeepersKeepTime(
            kIdleTimeout, 1,
            [&](std::vector<Lifeline>& keeperLives) {
                served_.reset();
                start({{"heartbeat_interval", "100ms"}, {"idle_timeout", std::to_string(kIdleTimeout.count()) + "ms"}});
                onlyTheSilentConnectionIdlesOut(keeperLives[0]);
            },
            [&] { return served_->log(); });
    }

    /// Issue: the idle timeout is about what arrived, not about what the connection's thread
    /// has read. A thread that comes back late (held here in a log call, as a page fault or a
    /// busy machine may hold it anywhere) reads what arrived meanwhile before it calls the line
    /// idle: a connection whose PDUs arrived in time stays and is answered.
    void lateThreadReadsWhatArrivedBeforeCallingTheLineIdle()
    {
        start();
        auto keeper = connectAdmitted(port());
        served_->holdLog();
        // The keeper's thread logs the role it now claims, and waits in that log call.
        keeper->send(tttest::roleSet(true));
        CPPUNIT_ASSERT_MESSAGE(served_->log(), served_->waitForHeldLogWriter());
        const Clock::time_point held = Clock::now(); // the ROLE_SET was read before this
        // Changed only now, so the keeper was never at risk while this thread got here.
        constexpr auto kIdleTimeout = 100ms;
        served_->reconfigure({{"idle_timeout", std::to_string(kIdleTimeout.count()) + "ms"}});
        // What arrives while the thread is held: life, and a request to be answered.
        keeper->send(tttest::heartbeat());
        keeper->send(tttest::statusRequest(0x0B0C, 4711, {1}));
        // Not synchronisation: the thread must be late by more than idle_timeout, and only the
        // clock can make it so.
        std::this_thread::sleep_until(held + kIdleTimeout);
        served_->releaseLog();
        // Answered once the thread reads its input: the connection was not closed as idle.
        // (Later, silent for idle_timeout, it rightly is; the answer is out before that.)
        WireFrame answer;
        try
        {
            answer = keeper->receive();
        }
        catch (const Poco::Exception& error)
        {
            CPPUNIT_FAIL("closed instead of answered (" + error.displayText() + "); the log:\n" + served_->log());
        }
        CPPUNIT_ASSERT_EQUAL_MESSAGE(describeFrames({answer}) + "; the log:\n" + served_->log(), kUsersStatusResponse, answer.commandId);
        CPPUNIT_ASSERT_EQUAL(std::uint16_t(0x0B0C), answer.seqNum);
    }

    void lengthBelowHeaderClosesOnlyThatConnection()
    {
        start();
        for (std::int64_t length : {std::int64_t(8), std::int64_t(0), std::int64_t(15)})
            assertBadLengthClosesOnlyTheSender(length, "is below the 16-byte header");
    }

    void lengthAboveMaxPduBytesClosesOnlyThatConnection()
    {
        start();
        // The default limit is 4 MiB; the header alone is refused, no body is waited for.
        assertBadLengthClosesOnlyTheSender(4 * 1024 * 1024 + 1, "exceeds max_pdu_bytes");
        assertBadLengthClosesOnlyTheSender(0xFFFFFFFFLL, "exceeds max_pdu_bytes");
    }

    void frameOfExactlyMaxPduBytesIsRelayed()
    {
        start({{"max_pdu_bytes", "64K"}});
        auto a = connectAdmitted(port());
        auto b = connectAdmitted(port());
        auto c = connectAdmitted(port());
        const std::string exact = tttest::makeRawFrame(3, 0x0301, 1, patternedBytes(64 * 1024 - 16, 5));
        a->send(exact);
        assertNothing(a->sync(), "a");
        assertFrames({exact}, b->sync(), "b");
        assertFrames({exact}, c->sync(), "c");
        const std::string over = tttest::makeRawFrame(3, 0x0301, 2, patternedBytes(64 * 1024 - 15, 6));
        a->send(over);
        CPPUNIT_ASSERT(a->waitClosed());
        CPPUNIT_ASSERT_MESSAGE(served_->log(), served_->waitForLog("exceeds max_pdu_bytes 65536"));
        assertNothing(b->sync(), "b");
        assertNothing(c->sync(), "c");
    }

    void framesBeforeABadHeaderAreStillRouted()
    {
        start();
        auto a = connectAdmitted(port());
        auto b = connectAdmitted(port());
        auto c = connectAdmitted(port());
        const std::string good = tttest::msgData(121, 122, 1, "before the bad header");
        a->send(good + tttest::makeRawFrame(3, 0x0301, 2, "", 3));
        CPPUNIT_ASSERT(a->waitClosed());
        assertFrames({good}, b->sync(), "b");
        assertFrames({good}, c->sync(), "c");
        // Counted as received too: the admitting sync's request and the good frame.
        CPPUNIT_ASSERT_MESSAGE(served_->log(), served_->waitForLog("(bad_frame)"));
        CPPUNIT_ASSERT_MESSAGE(served_->log(), served_->waitForLog("; received 2 frames / "));
    }

    void unparsableBodiesAreDroppedAndTheConnectionStays()
    {
        start();
        auto a = connectAdmitted(port());
        auto b = connectAdmitted(port());
        auto c = connectAdmitted(port());
        const std::string garbage("\xff\xff\xff\xff\x0f", 5);
        a->send(tttest::makeRawFrame(7, 0x070a, 1, garbage));      // USER_STATUS_UPDATE
        a->send(tttest::makeRawFrame(7, 0x070a, 2, ""));           // required fields missing
        a->send(tttest::makeRawFrame(7, 0x0708, 3, garbage));      // ONLINE_USER_INFO
        a->send(tttest::makeRawFrame(7, 0x0707, 4, garbage));      // ROLE_SET
        a->send(tttest::makeRawFrame(2, 0x020a, 5, garbage));      // USERS_STATUS_REQUEST: no answer
        a->send(tttest::makeRawFrame(2, 0x020a, 6, ""));           // requester missing: no answer
        assertNothing(a->sync(), "a");
        assertNothing(b->sync(), "b");
        assertNothing(c->sync(), "c");
        CPPUNIT_ASSERT_MESSAGE(served_->log(), served_->waitForLog("is not a valid message"));
        // Still fully in business.
        a->send(tttest::statusUpdate(131, kOnline, kWindows));
        assertStatusNotifications(a->sync(), 131, 1, kOnline, "a");
        assertStatusNotifications(b->sync(), 131, 1, kOnline, "b");
        CPPUNIT_ASSERT_EQUAL(statuses({kOnline}), statuses(queryStatuses(*a, {131})));
    }

    void lostConnectionAnnouncesItsUsersOffline()
    {
        start();
        auto a = connectAdmitted(port());
        auto b = connectAdmitted(port());
        auto c = connectAdmitted(port());
        // 140: PC on a only.              -> BUDDY OFFLINE
        // 141: PC and mobile, both on a.   -> BUDDY OFFLINE (forgotten, so no LOGIN_STATUS_NOTIFY)
        // 142: PC on a and PC on b.        -> stays online, nothing
        // 143: mobile on a only.           -> nothing (was never ONLINE)
        // 144: PC on a, mobile on b.       -> LOGIN 0 (still known via mobile), BUDDY OFFLINE
        a->send(tttest::onlineUserInfo(
            {{140, kOnline, kWindows}, {141, kOnline, kWindows}, {141, kOnline, kAndroid}, {142, kOnline, kWindows}, {143, kOnline, kIos}, {144, kOnline, kMac}}));
        assertNothing(a->sync(), "a");
        b->send(tttest::onlineUserInfo({{142, kOnline, kMac}, {144, kOnline, kAndroid}}));
        assertNothing(b->sync(), "b");
        assertNothing(c->sync(), "c");
        CPPUNIT_ASSERT_EQUAL(statuses({kOnline, kOnline, kOnline, kOffline, kOnline}),
                             statuses(queryStatuses(*c, {140, 141, 142, 143, 144})));

        a->close();
        for (FakeMsgServer* other : {b.get(), c.get()})
        {
            std::vector<WireFrame> got;
            for (int i = 0; i < 4; ++i)
                got.push_back(other->receive());
            const auto rest = other->sync();
            got.insert(got.end(), rest.begin(), rest.end());
            CPPUNIT_ASSERT_EQUAL_MESSAGE(describeFrames(got), std::size_t(4), got.size());
            // Users come in no particular order; each user's LOGIN comes before its BUDDY.
            std::vector<std::uint32_t> buddyOffline;
            bool login144 = false;
            for (const auto& frame : got)
            {
                if (frame.commandId == kLoginStatusNotify)
                {
                    assertLoginStatus(frame, 144, 0, "other");
                    CPPUNIT_ASSERT_MESSAGE("LOGIN_STATUS_NOTIFY after BUDDY for 144",
                                           std::find(buddyOffline.begin(), buddyOffline.end(), 144u) == buddyOffline.end());
                    login144 = true;
                    continue;
                }
                IM::Buddy::IMUserStatNotify notify;
                CPPUNIT_ASSERT_EQUAL_MESSAGE(describeFrames(got), kBuddyStatusNotify, frame.commandId);
                CPPUNIT_ASSERT(frame.parse(notify));
                CPPUNIT_ASSERT(notify.user_stat().status() == IM::BaseDefine::USER_STATUS_OFFLINE);
                buddyOffline.push_back(notify.user_stat().user_id());
            }
            CPPUNIT_ASSERT(login144);
            std::sort(buddyOffline.begin(), buddyOffline.end());
            CPPUNIT_ASSERT_EQUAL(statuses({140, 141, 144}), statuses(buddyOffline));
        }
        CPPUNIT_ASSERT_EQUAL(statuses({kOffline, kOffline, kOnline, kOffline, kOffline}),
                             statuses(queryStatuses(*c, {140, 141, 142, 143, 144})));
        CPPUNIT_ASSERT_MESSAGE(served_->log(), served_->waitForLog("3 users went offline"));

        // 144 is still known through b's mobile login: its PC coming back is announced as usual.
        b->send(tttest::statusUpdate(144, kOnline, kWindows));
        assertStatusNotifications(b->sync(), 144, 1, kOnline, "b");
        assertStatusNotifications(c->sync(), 144, 1, kOnline, "c");
    }

    void slowReaderIsDroppedWithoutHurtingOthers()
    {
        start({{"max_pdu_bytes", "64K"}, {"max_outbox_bytes", "1100K"}});
        auto sender = connectAdmitted(port());
        auto slow = connectAdmitted(port());
        auto reader = connectAdmitted(port());
        const std::string chunk = tttest::msgData(151, 152, 1, patternedBytes(60 * 1024, 1));
        bool dropped = false;
        for (int i = 0; i < 5000 && !dropped; ++i)
        {
            sender->send(chunk);
            assertSameBytes(chunk, reader->receive().bytes, "reader frame " + std::to_string(i));
            dropped = served_->log().find("queue_overflow") != std::string::npos;
        }
        CPPUNIT_ASSERT_MESSAGE(served_->log(), dropped);
        CPPUNIT_ASSERT_MESSAGE(served_->log(), served_->log().find("max_outbox_bytes 1126400") != std::string::npos);
        CPPUNIT_ASSERT(slow->waitClosed(10s));
        const std::string last = tttest::msgData(151, 152, 2, "after the drop");
        sender->send(last);
        assertNothing(sender->sync(), "sender");
        assertFrames({last}, reader->sync(), "reader");
    }

    void stopEndsEveryConnectionAndReturns()
    {
        start();
        auto a = connectAdmitted(port());
        auto b = connectAdmitted(port());
        auto c = connectAdmitted(port());
        a->send(tttest::onlineUserInfo({{161, kOnline, kWindows}}));
        const std::string message = tttest::msgData(161, 162, 1, patternedBytes(64 * 1024, 2));
        a->send(message);
        assertNothing(a->sync(), "a");

        // As tthost does it: stop accepting, then stop the plugin.
        served_->stopAccepting();
        served_->stopPlugin(Poco::Timespan(2, 0));

        // What was queued before stop() is delivered, then every client sees EOF.
        for (FakeMsgServer* other : {b.get(), c.get()})
        {
            const auto got = framesUntilClosed(*other);
            CPPUNIT_ASSERT_MESSAGE(describeFrames(got), !got.empty());
            assertSameBytes(message, got[0].bytes, "queued before stop");
        }
        framesUntilClosed(*a);
        CPPUNIT_ASSERT_MESSAGE(served_->log(), served_->waitForLog("disconnected (shutdown)"));
    }

    void connectionsAfterStopAreRefused()
    {
        start();
        auto a = connectAdmitted(port());
        served_->stopPlugin(Poco::Timespan(1, 0));
        CPPUNIT_ASSERT(a->waitClosed());
        // The listener still accepts (outside the contract), but the plugin turns the connection away.
        FakeMsgServer late(port());
        CPPUNIT_ASSERT(late.waitClosed());
    }

private:
    /// Serves the plugin with `settings`. A lost connection's users are announced as it goes
    /// (route.peer_loss_grace = 0) unless `settings` say otherwise: the grace has suites of its own.
    void start(Settings settings = {})
    {
        settings.insert(settings.begin(), {"peer_loss_grace", "0"});
        served_ = std::make_unique<ServedPlugin>(TTROUTE_PLUGIN_PATH, settings);
    }

    /// One run of silentConnectionIsClosedAfterIdleTimeout(), the keeper's sends noted in `keeperLife`.
    void onlyTheSilentConnectionIdlesOut(Lifeline& keeperLife)
    {
        auto keeper = keeperLife.around([&] { return connectAdmitted(port()); });
        auto silent = connectAdmitted(port());
        const std::string silentName = silent->socket().address().toString() + " #";
        const std::string keeperName = keeper->socket().address().toString() + " #";
        silent->send(tttest::onlineUserInfo({{111, kOnline, kWindows}}));
        assertNothing(silent->sync(), "silent");
        // The keeper sends HEARTBEATs (life) while the silent one sends nothing.
        bool closed = false;
        const auto deadline = Clock::now() + 10s;
        while (!closed && Clock::now() < deadline)
        {
            keeperLife.around([&] { keeper->send(tttest::heartbeat()); });
            closed = silent->waitClosed(50ms);
        }
        CPPUNIT_ASSERT_MESSAGE(served_->log(), closed);
        CPPUNIT_ASSERT_MESSAGE(served_->log(), served_->waitForLog("disconnected (idle_timeout)"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(served_->log(), std::size_t(1),
                                     tttest::linesWith(served_->log(), {silentName, "disconnected (idle_timeout)"}).size());
        // The keeper is alive and hears that the silent server's user went offline.
        assertStatusNotifications(keeperLife.around([&] { return keeper->sync(); }), 111, -1, kOffline, "keeper");
        CPPUNIT_ASSERT_EQUAL(statuses({kOffline}), statuses(keeperLife.around([&] { return queryStatuses(*keeper, {111}); })));
        CPPUNIT_ASSERT_MESSAGE(served_->log(), tttest::linesWith(served_->log(), {keeperName, "disconnected"}).empty());
    }

    std::uint16_t port() const { return served_->port(); }

    /// A connection sending a header with `length` is closed, logged with the value; two
    /// others keep routing between themselves.
    void assertBadLengthClosesOnlyTheSender(std::int64_t length, const std::string& why)
    {
        // A user of its own each time: one announced offline before would be announced
        // online again when listed (protocol.md §7).
        const std::uint32_t user = nextVictimUser_++;
        auto good1 = connectAdmitted(port());
        auto victim = connectAdmitted(port());
        auto good2 = connectAdmitted(port());
        victim->send(tttest::onlineUserInfo({{user, kOnline, kWindows}}));
        assertNothing(victim->sync(), "victim");
        victim->send(tttest::makeRawFrame(3, 0x0301, 0x0909, "", length));
        CPPUNIT_ASSERT_MESSAGE("length " + std::to_string(length) + " was accepted", victim->waitClosed());
        const std::string text = "frame length " + std::to_string(length) + " " + why;
        CPPUNIT_ASSERT_MESSAGE(served_->log(), served_->waitForLog(text));
        CPPUNIT_ASSERT_MESSAGE(served_->log(), served_->waitForLog("bad_frame"));
        CPPUNIT_ASSERT_MESSAGE(served_->log(), served_->log().find("127.0.0.1:") != std::string::npos);

        // The victim's user is announced offline to the survivors, who keep working.
        assertStatusNotifications({good1->receive()}, user, -1, kOffline, "good1");
        assertStatusNotifications({good2->receive()}, user, -1, kOffline, "good2");
        const std::string message = tttest::msgData(1, 2, 3, "survivors");
        good1->send(message);
        assertNothing(good1->sync(), "good1");
        assertFrames({message}, good2->sync(), "good2");
        CPPUNIT_ASSERT_EQUAL(statuses({kOffline}), statuses(queryStatuses(*good2, {user})));
    }

    std::unique_ptr<ServedPlugin> served_;
    std::uint32_t nextVictimUser_ = 171;
};

CPPUNIT_TEST_SUITE_REGISTRATION(PluginIntegrationTest);
