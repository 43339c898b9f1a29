// integration_faults, a lost peer: one closing in the middle of a frame leaves nothing partial
// anywhere, and a lost msg server's presence is removed exactly (thousands of users, every mix
// of PC and mobile logins elsewhere) and restored exactly when it comes back (protocol.md §7;
// Faults.h).
#include "DiagnosticText.h"
#include "FakeMsgServer.h"
#include "Faults.h"
#include "FrameAssertions.h"
#include "LossAnnouncements.h"
#include "MsgServerChecks.h"
#include "ProtocolConstants.h"
#include "WireFrames.h"

#include "IM.Buddy.pb.h"
#include "IM.Server.pb.h"

#include <cppunit/extensions/HelperMacros.h>

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

using namespace tttest;
using namespace tttest::protocol;

namespace
{

/// Asserts `frames` are exactly the announcements of users coming back online after they
/// were announced offline (protocol.md §7): for each user of `back`, LOGIN_STATUS_NOTIFY 1
/// then BUDDY_LIST_STATUS_NOTIFY with its status; users in any order, nothing else.
void assertOnlineAgainAnnouncements(const std::vector<WireFrame>& frames, const std::map<std::uint32_t, std::uint32_t>& back,
                                    const std::string& who)
{
    CPPUNIT_ASSERT_EQUAL_MESSAGE(who + " got " + std::to_string(frames.size()) + " frames", 2 * back.size(), frames.size());
    std::set<std::uint32_t> seen;
    for (std::size_t i = 0; i < frames.size(); i += 2)
    {
        IM::Server::IMServerPCLoginStatusNotify login;
        IM::Buddy::IMUserStatNotify buddy;
        CPPUNIT_ASSERT_MESSAGE(who + " " + describeFrames({frames[i], frames[i + 1]}),
                               frames[i].commandId == kLoginStatusNotify && frames[i].parse(login) &&
                                   frames[i + 1].commandId == kBuddyStatusNotify && frames[i + 1].parse(buddy));
        const std::uint32_t user = login.user_id();
        CPPUNIT_ASSERT_EQUAL_MESSAGE(who + ": login_status for user " + std::to_string(user), std::uint32_t(1), login.login_status());
        CPPUNIT_ASSERT_EQUAL_MESSAGE(who + ": the buddy notification's user", user, buddy.user_stat().user_id());
        const auto expected = back.find(user);
        CPPUNIT_ASSERT_MESSAGE(who + ": user " + std::to_string(user) + " announced online again", expected != back.end());
        CPPUNIT_ASSERT_EQUAL_MESSAGE(who + ": status for user " + std::to_string(user), expected->second,
                                     static_cast<std::uint32_t>(buddy.user_stat().status()));
        CPPUNIT_ASSERT_MESSAGE(who + ": user " + std::to_string(user) + " announced twice", seen.insert(user).second);
    }
}

} // namespace

class FaultPeerLossTest : public Faults
{
    CPPUNIT_TEST_SUITE(FaultPeerLossTest);
    CPPUNIT_TEST(peerClosingMidRelayLeavesNothingPartial);
    CPPUNIT_TEST(lostMsgServerIsRemovedExactlyAndHealsOnReconnect);
    CPPUNIT_TEST_SUITE_END();

public:
    void peerClosingMidRelayLeavesNothingPartial()
    {
        start();
        auto [a, b, c, quitter] = admitMsgServers<4>();
        quitter->send(tttest::statusUpdate(13001, kOnline, kWindows));
        for (FakeMsgServer* fake : {quitter.get(), a.get(), b.get(), c.get()})
            assertStatusNotifications(fake->sync(), 13001, 1, kOnline, "after the quitter's login", NotificationHeader::IdsOnly);

        // Half of a 2 MiB MSG_DATA, while another peer's traffic flows past it.
        const std::string big = tttest::msgData(13001, 13002, 1, patternedBytes(2 * 1024 * 1024, 5));
        quitter->send(big.substr(0, big.size() / 2));
        const std::string meanwhile = tttest::msgData(13003, 13004, 1, "meanwhile");
        a->send(meanwhile);
        assertNothing(a->sync(), "a");
        assertFrames({meanwhile}, b->sync(), "b");
        assertFrames({meanwhile}, c->sync(), "c");
        // The quitter reads it (it cannot send a query in the middle of its frame), so it closes cleanly.
        assertSameBytes(meanwhile, quitter->receive().bytes, "quitter");

        const std::string quitterName = quitter->logName();
        quitter->close();
        CPPUNIT_ASSERT_MESSAGE(served().log(), !served().waitForLine({quitterName, "disconnected ("}).empty());
        // No byte of the half frame reached anyone: their streams hold whole frames only.
        for (FakeMsgServer* fake : {a.get(), b.get(), c.get()})
            assertOfflineAnnouncements(fake->sync(), {13001}, {}, "survivor");

        // The survivors keep relaying, large frames included.
        const std::string whole = tttest::msgData(13003, 13004, 2, patternedBytes(2 * 1024 * 1024, 6));
        b->send(whole);
        assertNothing(b->sync(), "b");
        assertFrames({whole}, a->sync(), "a");
        assertFrames({whole}, c->sync(), "c");
        assertSurvivorsWork({a.get(), b.get(), c.get()}, 13);
    }

    void lostMsgServerIsRemovedExactlyAndHealsOnReconnect()
    {
        start({{"max_status_query_ids", "100000"}});
        auto [a, b, c, d] = admitMsgServers<4>();

        std::vector<std::vector<std::uint32_t>> atA; // a's logins, as its ONLINE_USER_INFO lists them
        std::vector<std::vector<std::uint32_t>> atB;
        std::vector<std::vector<std::uint32_t>> atC;
        std::vector<std::uint32_t> all;
        std::set<std::uint32_t> goOffline;  // announced offline when a goes
        std::set<std::uint32_t> stillKnown; // ... with LOGIN_STATUS_NOTIFY 0 first: a mobile login is left elsewhere
        std::vector<std::uint32_t> expectedAfter;
        auto group = [&](std::uint32_t first, std::uint32_t count, auto&& add, bool offline, bool known, std::uint32_t after) {
            for (std::uint32_t id = first; id < first + count; ++id)
            {
                add(id);
                all.push_back(id);
                expectedAfter.push_back(after);
                if (offline)
                    goOffline.insert(id);
                if (known)
                    stillKnown.insert(id);
            }
        };
        // PC on a only; more than the 4096 users the server removes in one slice.
        group(100000, 5000, [&](std::uint32_t id) { atA.push_back({id, kOnline, kWindows}); }, true, false, kOffline);
        // PC and mobile, both on a: forgotten, so BUDDY OFFLINE only.
        group(200000, 50, [&](std::uint32_t id) { atA.push_back({id, kOnline, kMac}); atA.push_back({id, kOnline, kIos}); }, true, false, kOffline);
        // PC on a and PC on b: stays ONLINE, nothing said.
        group(300000, 50, [&](std::uint32_t id) { atA.push_back({id, kOnline, kWindows}); atB.push_back({id, kOnline, kMac}); }, false, false, kOnline);
        // Mobile on a only: never ONLINE, nothing said.
        group(400000, 50, [&](std::uint32_t id) { atA.push_back({id, kOnline, kAndroid}); }, false, false, kOffline);
        // PC on a, mobile on b: LOGIN 0 and BUDDY OFFLINE.
        group(500000, 50, [&](std::uint32_t id) { atA.push_back({id, kOnline, kWindows}); atB.push_back({id, kOnline, kAndroid}); }, true, true, kOffline);
        // Mobile on a, PC on c: stays ONLINE, nothing said.
        group(600000, 50, [&](std::uint32_t id) { atA.push_back({id, kOnline, kIos}); atC.push_back({id, kOnline, kWindows}); }, false, false, kOnline);
        // LEAVE on a PC of a: announced OFFLINE.
        group(700000, 20, [&](std::uint32_t id) { atA.push_back({id, kLeave, kWindows}); }, true, false, kOffline);
        // Two Windows logins on a: one announcement.
        group(710000, 20, [&](std::uint32_t id) { atA.push_back({id, kOnline, kWindows}); atA.push_back({id, kOnline, kWindows}); }, true, false, kOffline);
        // PC on a, mobile on both b and c: LOGIN 0 and BUDDY OFFLINE, once.
        group(720000, 20, [&](std::uint32_t id) { atA.push_back({id, kOnline, kMac}); atB.push_back({id, kOnline, kIos}); atC.push_back({id, kOnline, kAndroid}); },
              true, true, kOffline);
        // PC on a, PC on c, mobile on b: stays ONLINE.
        group(730000, 20, [&](std::uint32_t id) { atA.push_back({id, kOnline, kWindows}); atC.push_back({id, kOnline, kWindows}); atB.push_back({id, kOnline, kIos}); },
              false, false, kOnline);
        // Logged in on a by USER_STATUS_UPDATE, and one who logged in and out again there.
        const std::uint32_t byUpdate = 740000;
        const std::uint32_t cameAndWent = 740001;
        all.push_back(byUpdate);
        expectedAfter.push_back(kOffline);
        goOffline.insert(byUpdate);
        all.push_back(cameAndWent);
        expectedAfter.push_back(kOffline);

        a->send(tttest::onlineUserInfo(atA));
        b->send(tttest::onlineUserInfo(atB));
        c->send(tttest::onlineUserInfo(atC));
        for (FakeMsgServer* fake : {a.get(), b.get(), c.get(), d.get()})
            assertNothing(fake->sync(), "after ONLINE_USER_INFO");
        a->send(tttest::statusUpdate(byUpdate, kOnline, kWindows));
        for (FakeMsgServer* fake : {a.get(), b.get(), c.get(), d.get()})
            assertStatusNotifications(fake->sync(), byUpdate, 1, kOnline, "after a login", NotificationHeader::IdsOnly);
        a->send(tttest::statusUpdate(cameAndWent, kOnline, kWindows));
        a->send(tttest::statusUpdate(cameAndWent, kOffline, kWindows));
        for (FakeMsgServer* fake : {a.get(), b.get(), c.get(), d.get()})
        {
            const auto got = fake->sync();
            CPPUNIT_ASSERT_EQUAL_MESSAGE(describeFrames(got), std::size_t(3), got.size());
            assertStatusNotifications({got[0], got[1]}, cameAndWent, 1, kOnline, "after a login", NotificationHeader::IdsOnly);
            assertStatusNotifications({got[2]}, cameAndWent, -1, kOffline, "after a logout", NotificationHeader::IdsOnly);
        }
        const auto before = queryStatuses(*d, all, 1);

        // a drops: each remaining peer hears exactly the announcements, once per user.
        const std::string aName = a->logName();
        a->close();
        const std::string loss = ": " + std::to_string(goOffline.size()) + " users went offline with it";
        CPPUNIT_ASSERT_MESSAGE(served().log(), !served().waitForLine({aName, loss}).empty());
        const std::string announced = ": " + std::to_string(goOffline.size()) + " users announced offline (" +
                                      std::to_string(goOffline.size() + stillKnown.size()) + " notifications), 0 came back";
        CPPUNIT_ASSERT_MESSAGE(served().log(), !served().waitForLine({aName, announced}).empty());
        assertOfflineAnnouncements(b->sync(), goOffline, stillKnown, "b");
        assertOfflineAnnouncements(c->sync(), goOffline, stillKnown, "c");
        assertOfflineAnnouncements(d->sync(), goOffline, stillKnown, "d");
        const auto afterDrop = queryStatuses(*b, all, 2);
        CPPUNIT_ASSERT_MESSAGE("presence after the drop", expectedAfter == afterDrop);

        // a comes back and re-sends its list: presence is exactly as before, and the users
        // announced offline are announced online again, each once, with the status listed.
        auto a2 = connectAdmitted(port());
        atA.push_back({byUpdate, kOnline, kWindows});
        a2->send(tttest::onlineUserInfo(atA));
        std::map<std::uint32_t, std::uint32_t> backOnline;
        for (const auto& entry : atA)
            if (goOffline.count(entry[0]) == 1 && (entry[2] & 0x10) == 0)
                backOnline.emplace(entry[0], entry[1]); // the first PC login listed brings the user back
        for (FakeMsgServer* fake : {a2.get(), b.get(), c.get(), d.get()})
            assertOnlineAgainAnnouncements(fake->sync(), backOnline, "after the reconnect");
        const auto healed = queryStatuses(*c, all, 3);
        CPPUNIT_ASSERT_MESSAGE("presence before the drop and after the reconnect differ", before == healed);

        // Counts were restored too: of the two Windows logins on a, the first logout says nothing.
        a2->send(tttest::statusUpdate(710000, kOffline, kWindows));
        for (FakeMsgServer* fake : {a2.get(), b.get(), c.get(), d.get()})
            assertNothing(fake->sync(), "after one of two logouts");
        a2->send(tttest::statusUpdate(710000, kOffline, kWindows));
        for (FakeMsgServer* fake : {a2.get(), b.get(), c.get(), d.get()})
            assertStatusNotifications(fake->sync(), 710000, -1, kOffline, "after the last logout", NotificationHeader::IdsOnly);
        assertSurvivorsWork({a2.get(), b.get(), c.get(), d.get()}, 14);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(FaultPeerLossTest);
