// integration_plugin, presence: ROLE_SET, ONLINE_USER_INFO and status updates change who is
// online where, announced by the notification rules of protocol.md §5 (several PCs, mobiles,
// counts); status queries are answered in request order and capped; a lost connection's users
// are announced offline (§7).
#include "DiagnosticText.h"
#include "FakeMsgServer.h"
#include "FrameAssertions.h"
#include "LossAnnouncements.h"
#include "MsgServerChecks.h"
#include "ProtocolConstants.h"
#include "ServedPluginFixture.h"
#include "WireFrames.h"

#include "IM.BaseDefine.pb.h"
#include "IM.Buddy.pb.h"

#include <cppunit/extensions/HelperMacros.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

using namespace tttest;
using namespace tttest::protocol;

class PluginPresenceTest : public tttest::ServedPluginFixture
{
    CPPUNIT_TEST_SUITE(PluginPresenceTest);
    CPPUNIT_TEST(roleSetChangesNoRouting);
    CPPUNIT_TEST(onlineUserInfoSetsPresenceWithoutNotifications);
    CPPUNIT_TEST(statusUpdatesNotifyEveryConnectionIncludingTheSender);
    CPPUNIT_TEST(multiPcAndMobileLoginsFollowTheNotificationRules);
    CPPUNIT_TEST(statusQueryAnswersInRequestOrderWithAttachData);
    CPPUNIT_TEST(statusQueryIsCappedAtMaxStatusQueryIds);
    CPPUNIT_TEST(lostConnectionAnnouncesItsUsersOffline);
    CPPUNIT_TEST_SUITE_END();

public:
    PluginPresenceTest()
        : ServedPluginFixture(TTROUTE_PLUGIN_PATH)
    {
    }

    void roleSetChangesNoRouting()
    {
        start();
        auto [master, slave, other] = admitMsgServers<3>();
        master->send(tttest::roleSet(true));
        slave->send(tttest::roleSet(false));
        assertNothing(master->sync(), "master after ROLE_SET");
        assertNothing(slave->sync(), "slave after ROLE_SET");
        assertNothing(other->sync(), "other after ROLE_SET");
        CPPUNIT_ASSERT_MESSAGE(served().log(), served().waitForLog("calls itself master"));
        CPPUNIT_ASSERT_MESSAGE(served().log(), served().waitForLog("calls itself slave"));

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
        auto [a, b, c] = admitMsgServers<3>();
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
        auto [a, b, c] = admitMsgServers<3>();
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
        auto [a, b, c] = admitMsgServers<3>();
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
        auto [a, b, c] = admitMsgServers<3>();
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
        CPPUNIT_ASSERT_MESSAGE(served().log(), served().waitForLog("max_status_query_ids"));
        CPPUNIT_ASSERT_EQUAL(statuses({kOffline, kOnline, kOffline}), statuses(queryStatuses(*a, {50, 51, 52})));
    }

    void lostConnectionAnnouncesItsUsersOffline()
    {
        start();
        auto [a, b, c] = admitMsgServers<3>();
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
            // Users come in no particular order; each user's LOGIN comes before its BUDDY.
            assertOfflineAnnouncements(got, {140, 141, 144}, {144}, "other", NotificationHeader::AsGenerated);
        }
        CPPUNIT_ASSERT_EQUAL(statuses({kOffline, kOffline, kOnline, kOffline, kOffline}),
                             statuses(queryStatuses(*c, {140, 141, 142, 143, 144})));
        CPPUNIT_ASSERT_MESSAGE(served().log(), served().waitForLog("3 users went offline"));

        // 144 is still known through b's mobile login: its PC coming back is announced as usual.
        b->send(tttest::statusUpdate(144, kOnline, kWindows));
        assertStatusNotifications(b->sync(), 144, 1, kOnline, "b");
        assertStatusNotifications(c->sync(), 144, 1, kOnline, "c");
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PluginPresenceTest);
