// integration_faults, the limits: max_connections refuses the excess and admits again when one
// leaves, a frame over max_pdu_bytes closes only its sender, a status query is answered for the
// first max_status_query_ids, an ONLINE_USER_INFO over max_online_user_info_entries is dropped
// whole; each time the other peers lose nothing and keep working (Faults.h).
#include "DiagnosticText.h"
#include "FakeMsgServer.h"
#include "Faults.h"
#include "FrameAssertions.h"
#include "MsgServerChecks.h"
#include "ProtocolConstants.h"
#include "WireFrames.h"

#include "IM.BaseDefine.pb.h"
#include "IM.Buddy.pb.h"

#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

using namespace tttest;
using namespace tttest::protocol;
using namespace std::chrono_literals;

namespace
{

/// Asserts `frames` are exactly the PDUs `expected`, byte for byte, in any order (for frames
/// from different connections, whose interleaving is up to the threads).
void assertFramesAnyOrder(std::vector<std::string> expected, const std::vector<WireFrame>& frames, const std::string& who)
{
    CPPUNIT_ASSERT_EQUAL_MESSAGE(who + " got " + describeFrames(frames), expected.size(), frames.size());
    std::vector<std::string> got;
    for (const auto& frame : frames)
        got.push_back(frame.bytes);
    std::sort(expected.begin(), expected.end());
    std::sort(got.begin(), got.end());
    CPPUNIT_ASSERT_MESSAGE(who + " got other frames than expected: " + describeFrames(frames), expected == got);
}

} // namespace

class FaultLimitsTest : public Faults
{
    CPPUNIT_TEST_SUITE(FaultLimitsTest);
    CPPUNIT_TEST(maxConnectionsRefusesTheExcessAndAdmitsAgainWhenOneLeaves);
    CPPUNIT_TEST(frameAboveMaxPduBytesClosesOnlyItsSender);
    CPPUNIT_TEST(statusQueryIsAnsweredForExactlyTheFirstMaxIds);
    CPPUNIT_TEST(oversizedOnlineUserInfoIsDroppedWholeAndTheConnectionStays);
    CPPUNIT_TEST_SUITE_END();

public:
    void maxConnectionsRefusesTheExcessAndAdmitsAgainWhenOneLeaves()
    {
        start({{"max_connections", "3"}});
        auto [a, b, c] = admitMsgServers<3>();
        // All three register (a msg server sends ONLINE_USER_INFO first): none may make room.
        a->send(tttest::onlineUserInfo({{1001, kOnline, kWindows}}));
        b->send(tttest::onlineUserInfo({}));
        c->send(tttest::onlineUserInfo({}));
        for (FakeMsgServer* fake : {a.get(), b.get(), c.get()})
            assertNothing(fake->sync(), "registered");

        // The fourth and fifth are closed as soon as they are accepted, and say why in the log.
        FakeMsgServer d(port());
        FakeMsgServer e(port());
        CPPUNIT_ASSERT_MESSAGE(served().log(), d.waitClosed());
        CPPUNIT_ASSERT_MESSAGE(served().log(), e.waitClosed());
        const std::string refusal = "refused, max_connections (3) are served already, every one of them a msg server";
        CPPUNIT_ASSERT_MESSAGE(served().log(), !served().waitForLine({d.logName(), refusal}).empty());
        CPPUNIT_ASSERT_MESSAGE(served().log(), !served().waitForLine({e.logName(), refusal}).empty());

        // The admitted ones noticed nothing and keep working.
        for (FakeMsgServer* fake : {a.get(), b.get(), c.get()})
            assertNothing(fake->sync(), "admitted connection");
        assertSurvivorsWork({a.get(), b.get(), c.get()}, 1);
        CPPUNIT_ASSERT_EQUAL(statuses({kOnline}), statuses(queryStatuses(*b, {1001})));

        // One leaves: once the server has let it go, a new one is admitted and served.
        const std::string cName = c->logName();
        c->close();
        CPPUNIT_ASSERT_MESSAGE(served().log(), !served().waitForLine({cName, "disconnected ("}).empty());
        auto f = connectAdmitted(port());
        CPPUNIT_ASSERT(served().waitForLine({f->logName(), "refused"}, 0ms).empty());
        f->send(tttest::statusUpdate(1002, kOnline, kWindows));
        for (FakeMsgServer* fake : {f.get(), a.get(), b.get()})
            assertStatusNotifications(fake->sync(), 1002, 1, kOnline, "after the new one logged a user in", NotificationHeader::IdsOnly);
        assertSurvivorsWork({a.get(), b.get(), f.get()}, 2);
        CPPUNIT_ASSERT_EQUAL(statuses({kOnline, kOnline}), statuses(queryStatuses(*f, {1001, 1002})));

        // Full again: the next one is refused as well.
        FakeMsgServer g(port());
        CPPUNIT_ASSERT_MESSAGE(served().log(), g.waitClosed());
        CPPUNIT_ASSERT_MESSAGE(served().log(), !served().waitForLine({g.logName(), refusal}).empty());
        CPPUNIT_ASSERT_EQUAL_MESSAGE(served().log(), std::size_t(3), occurrences(served().log(), refusal));
        for (FakeMsgServer* fake : {a.get(), b.get(), f.get()})
            assertNothing(fake->sync(), "admitted connection after the third refusal");
    }

    void frameAboveMaxPduBytesClosesOnlyItsSender()
    {
        start({{"max_pdu_bytes", "16K"}});
        auto [a, b, victim, c] = admitMsgServers<4>();
        victim->send(tttest::onlineUserInfo({{2001, kOnline, kWindows}}));
        assertNothing(victim->sync(), "victim");

        // Exactly the limit passes, from the victim too.
        const std::string exact = tttest::makeRawFrame(3, kMsgData, 1, patternedBytes(16 * 1024 - 16, 1));
        victim->send(exact);
        assertNothing(victim->sync(), "victim");
        for (FakeMsgServer* fake : {a.get(), b.get(), c.get()})
            assertFrames({exact}, fake->sync(), "after a frame of exactly max_pdu_bytes");

        // The victim's good frame, then a header one byte over the limit; the others keep
        // sending meanwhile.
        const std::string fromVictim = tttest::msgData(2001, 2002, 1, "last words");
        const std::string fromA1 = tttest::msgData(2003, 2004, 1, patternedBytes(16 * 1024 - 100, 2));
        const std::string fromA2 = tttest::msgData(2003, 2004, 2, "while the victim goes");
        const std::string fromB = tttest::makeRawFrame(3, kMsgData, 3, patternedBytes(16 * 1024 - 16, 3));
        a->send(fromA1);
        victim->send(fromVictim + tttest::makeRawFrame(3, kMsgData, 0x0909, patternedBytes(100, 4), 16 * 1024 + 1));
        a->send(fromA2);
        b->send(fromB);
        CPPUNIT_ASSERT_MESSAGE(served().log(), victim->waitClosed());
        CPPUNIT_ASSERT_MESSAGE(served().log(),
                               !served().waitForLine({"frame length 16385 exceeds max_pdu_bytes 16384", "seq 2313"}).empty());
        CPPUNIT_ASSERT_MESSAGE(served().log(), !served().waitForLine({victim->logName(), "disconnected (bad_frame)"}).empty());

        // Each survivor got everything the others sent, the victim's frame before its bad
        // header, and the victim's user announced offline once; nothing else, nothing partial.
        IM::Buddy::IMUserStatNotify offline;
        offline.mutable_user_stat()->set_user_id(2001);
        offline.mutable_user_stat()->set_status(IM::BaseDefine::USER_STATUS_OFFLINE);
        const std::string offline2001 = tttest::makeFrame(2, kBuddyStatusNotify, 0, offline);
        // (a's and b's first sync tells that their own frames went out; the second collects
        // what the other one sent meanwhile.)
        auto atA = a->sync();
        auto atB = b->sync();
        for (auto& frame : a->sync())
            atA.push_back(std::move(frame));
        for (auto& frame : b->sync())
            atB.push_back(std::move(frame));
        assertFramesAnyOrder({fromVictim, fromB, offline2001}, atA, "a");
        assertFramesAnyOrder({fromVictim, fromA1, fromA2, offline2001}, atB, "b");
        assertFramesAnyOrder({fromVictim, fromA1, fromA2, fromB, offline2001}, c->sync(), "c");
        assertSurvivorsWork({a.get(), b.get(), c.get()}, 3);
        CPPUNIT_ASSERT_EQUAL(statuses({kOffline}), statuses(queryStatuses(*c, {2001})));
    }

    void statusQueryIsAnsweredForExactlyTheFirstMaxIds()
    {
        start({{"max_status_query_ids", "5"}});
        auto [a, b, c] = admitMsgServers<3>();
        a->send(tttest::onlineUserInfo({{3001, kOnline, kWindows}, {3003, kOnline, kMac}, {3005, kOnline, kWindows}, {3006, kOnline, kIos}}));
        assertNothing(a->sync(), "a");

        // b asks for 12 ids and gets exactly the first 5, in order, attach data and requester kept.
        std::vector<std::uint32_t> twelve;
        for (std::uint32_t id = 3000; id < 3012; ++id)
            twelve.push_back(id);
        const std::string attach("\x00\x01 keep me \xff", 12);
        b->send(tttest::statusRequest(0x1234, 77, twelve, &attach));
        // c's query of exactly 5, sent meanwhile, is answered in full.
        c->send(tttest::statusRequest(0x4321, 78, {3006, 3005, 3004, 3003, 3001}));
        const WireFrame answer = b->receive();
        CPPUNIT_ASSERT_EQUAL_MESSAGE(describeFrames({answer}), kUsersStatusResponse, answer.commandId);
        CPPUNIT_ASSERT_EQUAL(std::uint16_t(0x1234), answer.seqNum);
        IM::Buddy::IMUsersStatRsp response;
        CPPUNIT_ASSERT(answer.parse(response));
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(77), response.user_id());
        CPPUNIT_ASSERT(response.has_attach_data() && response.attach_data() == attach);
        CPPUNIT_ASSERT_EQUAL(5, response.user_stat_list_size());
        const std::uint32_t expected[5][2] = {{3000, kOffline}, {3001, kOnline}, {3002, kOffline}, {3003, kOnline}, {3004, kOffline}};
        for (int i = 0; i < 5; ++i)
        {
            CPPUNIT_ASSERT_EQUAL(expected[i][0], response.user_stat_list(i).user_id());
            CPPUNIT_ASSERT_EQUAL(expected[i][1], static_cast<std::uint32_t>(response.user_stat_list(i).status()));
        }
        const WireFrame full = c->receive();
        IM::Buddy::IMUsersStatRsp fullResponse;
        CPPUNIT_ASSERT(full.parse(fullResponse));
        CPPUNIT_ASSERT_EQUAL(std::uint16_t(0x4321), full.seqNum);
        CPPUNIT_ASSERT_EQUAL(5, fullResponse.user_stat_list_size());
        CPPUNIT_ASSERT_MESSAGE(served().log(),
                               !served().waitForLine({b->logName(), "seq 4660 asks for 12 ids; answering the first 5 (max_status_query_ids)"})
                                    .empty());

        // Exactly the cap, one over it, duplicates over it, and a huge one: 5 answers each.
        CPPUNIT_ASSERT_EQUAL(statuses({kOffline, kOnline, kOffline, kOnline, kOffline}),
                             statuses(queryStatuses(*b, {3000, 3001, 3002, 3003, 3004}, 1)));
        b->send(tttest::statusRequest(2, 79, {3005, 3005, 3005, 3005, 3005, 3005, 3005}));
        IM::Buddy::IMUsersStatRsp duplicates;
        CPPUNIT_ASSERT(b->receive().parse(duplicates));
        CPPUNIT_ASSERT_EQUAL(5, duplicates.user_stat_list_size());
        std::vector<std::uint32_t> huge(200000, 3001);
        huge[4] = 3002;
        b->send(tttest::statusRequest(3, 80, huge));
        IM::Buddy::IMUsersStatRsp hugeResponse;
        CPPUNIT_ASSERT(b->receive().parse(hugeResponse));
        CPPUNIT_ASSERT_EQUAL(5, hugeResponse.user_stat_list_size());
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(3002), hugeResponse.user_stat_list(4).user_id());

        // b's connection stays; everyone keeps relaying and updating presence.
        b->send(tttest::statusUpdate(3002, kOnline, kWindows));
        for (FakeMsgServer* fake : {b.get(), a.get(), c.get()})
            assertStatusNotifications(fake->sync(), 3002, 1, kOnline, "after b's update", NotificationHeader::IdsOnly);
        assertSurvivorsWork({a.get(), b.get(), c.get()}, 4);
    }

    void oversizedOnlineUserInfoIsDroppedWholeAndTheConnectionStays()
    {
        start({{"max_online_user_info_entries", "4"}});
        auto [a, b, c] = admitMsgServers<3>();
        const std::vector<std::uint32_t> ids{4001, 4002, 4003, 4004, 4005, 4006, 4007, 4008};

        // Five entries: dropped whole and logged; the frames after it on the line still apply.
        a->send(tttest::onlineUserInfo(
                    {{4001, kOnline, kWindows}, {4002, kOnline, kWindows}, {4003, kOnline, kMac}, {4004, kOnline, kWindows}, {4005, kOnline, kWindows}}) +
                tttest::statusUpdate(4006, kOnline, kWindows));
        for (FakeMsgServer* fake : {a.get(), b.get(), c.get()})
            assertStatusNotifications(fake->sync(), 4006, 1, kOnline, "after the oversized ONLINE_USER_INFO", NotificationHeader::IdsOnly);
        const std::string line = served().waitForLine({a->logName(), "dropped ONLINE_USER_INFO"});
        CPPUNIT_ASSERT_MESSAGE(served().log(), line.find("of 5 entries, over max_online_user_info_entries 4") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(statuses({kOffline, kOffline, kOffline, kOffline, kOffline, kOnline, kOffline, kOffline}),
                             statuses(queryStatuses(*b, ids)));

        // Five entries of one user count as five.
        a->send(tttest::onlineUserInfo({{4007, kOnline, kWindows}, {4007, kOnline, kWindows}, {4007, kOnline, kMac},
                                        {4007, kOnline, kAndroid}, {4007, kOnline, kWindows}}));
        assertNothing(a->sync(), "a");
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), occurrences(served().log(), "over max_online_user_info_entries 4"));
        CPPUNIT_ASSERT_EQUAL(statuses({kOffline}), statuses(queryStatuses(*c, {4007})));

        // Exactly four, then three, from the same connection: applied, without notifications.
        a->send(tttest::onlineUserInfo({{4001, kOnline, kWindows}, {4002, kLeave, kWindows}, {4003, kOnline, kMac}, {4004, kOnline, kAndroid}}));
        a->send(tttest::onlineUserInfo({{4005, kOnline, kWindows}, {4007, kOnline, kIos}, {4008, kOnline, kMac}}));
        for (FakeMsgServer* fake : {a.get(), b.get(), c.get()})
            assertNothing(fake->sync(), "after ONLINE_USER_INFO within the limit");
        CPPUNIT_ASSERT_EQUAL(statuses({kOnline, kOnline, kOnline, kOffline, kOnline, kOnline, kOffline, kOnline}),
                             statuses(queryStatuses(*b, ids)));

        // Another connection's oversized list is dropped too, and another's within the limit applies.
        b->send(tttest::onlineUserInfo({{4101, kOnline, kWindows}, {4102, kOnline, kWindows}, {4103, kOnline, kWindows},
                                        {4104, kOnline, kWindows}, {4105, kOnline, kWindows}, {4106, kOnline, kWindows}}));
        c->send(tttest::onlineUserInfo({{4201, kOnline, kWindows}, {4202, kOnline, kWindows}}));
        assertNothing(b->sync(), "b");
        assertNothing(c->sync(), "c");
        assertNothing(a->sync(), "a");
        CPPUNIT_ASSERT_MESSAGE(served().log(), !served().waitForLine({b->logName(), "of 6 entries, over max_online_user_info_entries 4"}).empty());
        CPPUNIT_ASSERT_EQUAL(statuses({kOffline, kOffline, kOnline, kOnline}), statuses(queryStatuses(*a, {4101, 4106, 4201, 4202})));
        // The earlier presence is untouched, and the connections keep working.
        CPPUNIT_ASSERT_EQUAL(statuses({kOnline, kOnline, kOnline, kOffline, kOnline, kOnline, kOffline, kOnline}),
                             statuses(queryStatuses(*c, ids)));
        assertSurvivorsWork({a.get(), b.get(), c.get()}, 5);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(FaultLimitsTest);
