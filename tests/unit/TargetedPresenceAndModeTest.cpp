// Targeted relay as presence and settings change: logins and logoffs move a user's
// destinations, the sent counters count one PDU per destination, a live switch of
// route.relay.mode applies from the next route(), and peers that go away are no destination.
#include "ProtocolConstants.h"
#include "RelayedFrames.h"
#include "TargetedCommands.h"
#include "TargetedWorld.h"
#include "WireFrames.h"
#include "wire/ProtocolIds.h"

#include <cppunit/extensions/HelperMacros.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

using ttroute::RelayMode;
using tttest::fileNotify;
using tttest::kickUser;
using tttest::p2p;
using tttest::readNotify;
using tttest::removeSession;
using namespace targetedtest;
using namespace tttest::protocol;

class TargetedPresenceAndModeTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(TargetedPresenceAndModeTest);
    CPPUNIT_TEST(presenceChangesMoveDestinations);
    CPPUNIT_TEST(sentCountersCountOnePerDestination);
    CPPUNIT_TEST(switchingModeChangesTheNextRoute);
    CPPUNIT_TEST(broadcastModeIgnoresPresence);
    CPPUNIT_TEST(detachedPeerIsNoLongerADestination);
    CPPUNIT_TEST(peerLeftTheDirectoryBeforeItsPresenceGetsNothing);
    CPPUNIT_TEST_SUITE_END();

public:
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
};

CPPUNIT_TEST_SUITE_REGISTRATION(TargetedPresenceAndModeTest);
