// integration_plugin, relaying: every relayed command reaches the others byte for byte (and
// SIGN_INFO_CHANGED everyone), unknown commands go nowhere, pipelined and split input keeps its
// order and bytes, large frames pass whole, and a reader too slow for max_outbox_bytes is
// dropped alone (protocol.md §1, §6).
#include "DiagnosticText.h"
#include "FakeMsgServer.h"
#include "FrameAssertions.h"
#include "MsgServerChecks.h"
#include "ProtocolConstants.h"
#include "RelayedFrames.h"
#include "ServedPluginFixture.h"
#include "WireFrames.h"

#include "IM.BaseDefine.pb.h"
#include "IM.Buddy.pb.h"

#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

using namespace tttest;
using namespace tttest::protocol;
using namespace std::chrono_literals;

namespace
{

/// SIGN_INFO_CHANGED of `user`, its signature and seq num both told by `seq`.
std::string signInfoWithSeq(std::uint32_t user, std::uint16_t seq)
{
    return tttest::withSeqNum(tttest::signInfo(user, seq), seq);
}

/// One PDU of every command relayed to everyone but the sender (protocol.md §6), seq nums set
/// so that a reply-like rewrite would show.
std::vector<std::string> oneToOneRelayFrames(std::uint32_t from, std::uint32_t to)
{
    return {tttest::msgData(from, to, 1001, "hello over the route"),
            tttest::p2p(from, to, 1, 0x0102),
            tttest::readNotify(from, to, 99, 0x0203),
            tttest::kickUser(to, kWindows, 1, 0x0304),
            tttest::withSeqNum(tttest::groupChange(from, 777, to), 0x0405),
            tttest::fileNotify(from, to, 1, 0x0506),
            tttest::removeSession(from, 321, 0x0607)};
}

/// `from` sends `frames`; each of `others` receives exactly them, byte for byte and in order,
/// and `from` nothing back.
void assertRelayedToTheOthers(FakeMsgServer& from, const std::vector<std::string>& frames, const std::vector<FakeMsgServer*>& others)
{
    for (const auto& frame : frames)
        from.send(frame);
    assertNothing(from.sync(), "the sender");
    for (std::size_t i = 0; i < others.size(); ++i)
        assertFrames(frames, others[i]->sync(), "receiver " + std::to_string(i));
}

} // namespace

class PluginRelayTest : public tttest::ServedPluginFixture
{
    CPPUNIT_TEST_SUITE(PluginRelayTest);
    CPPUNIT_TEST(everyRelayedCommandGoesToTheOthersByteForByte);
    CPPUNIT_TEST(signInfoChangedGoesToEveryoneIncludingTheSender);
    CPPUNIT_TEST(unknownCommandsAreDropped);
    CPPUNIT_TEST(pipelinedFramesKeepTheirOrder);
    CPPUNIT_TEST(largeMsgDataIsRelayedIntact);
    CPPUNIT_TEST(frameSplitIntoTinyWritesIsRelayedIntact);
    CPPUNIT_TEST(slowReaderIsDroppedWithoutHurtingOthers);
    CPPUNIT_TEST_SUITE_END();

public:
    PluginRelayTest()
        : ServedPluginFixture(TTROUTE_PLUGIN_PATH)
    {
    }

    void everyRelayedCommandGoesToTheOthersByteForByte()
    {
        start();
        auto [a, b, c] = admitMsgServers<3>();
        assertRelayedToTheOthers(*a, oneToOneRelayFrames(61, 62), {b.get(), c.get()});

        // Neither body nor header is the route server's business: a relayed PDU goes out as
        // received, odd flag and reserved fields included.
        std::string opaque = tttest::makeRawFrame(3, 0x0301, 0xFFFF, std::string("\x08\x96\x01not protobuf\x00\xff", 17));
        opaque.replace(6, 2, "\x12\x34");
        opaque.replace(14, 2, "\xab\xcd");
        assertRelayedToTheOthers(*c, {opaque}, {a.get(), b.get()});

        assertRelayedToTheOthers(*b, oneToOneRelayFrames(62, 61), {a.get(), c.get()});
    }

    void signInfoChangedGoesToEveryoneIncludingTheSender()
    {
        start();
        auto [a, b, c] = admitMsgServers<3>();
        const std::string sign = signInfoWithSeq(71, 0x4321);
        b->send(sign);
        assertFrames({sign}, b->sync(), "the sender");
        assertFrames({sign}, a->sync(), "a");
        assertFrames({sign}, c->sync(), "c");
    }

    void unknownCommandsAreDropped()
    {
        start();
        auto [a, b, c] = admitMsgServers<3>();
        a->send(tttest::makeRawFrame(7, 0x0799, 1, "whatever"));
        a->send(tttest::makeRawFrame(3, 0x0302, 2, "")); // MSG_DATA_ACK: not for the route server
        a->send(tttest::makeRawFrame(7, kLoginStatusNotify, 3, "")); // route -> msg only
        a->send(tttest::makeRawFrame(2, kBuddyStatusNotify, 4, ""));
        a->send(tttest::makeRawFrame(0x1234, 0x5678, 5, std::string(100, 'u')));
        a->send(tttest::heartbeat()); // life only, never echoed
        assertNothing(a->sync(), "the sender");
        assertNothing(b->sync(), "b");
        assertNothing(c->sync(), "c");
        CPPUNIT_ASSERT_MESSAGE(served().log(), served().waitForLog("0x0799"));
        // The connection is still in business.
        const std::string message = tttest::msgData(1, 2, 3, "still here");
        a->send(message);
        a->sync();
        assertFrames({message}, b->sync(), "b");
    }

    void pipelinedFramesKeepTheirOrder()
    {
        start();
        auto [a, b, c] = admitMsgServers<3>();
        const std::string m1 = tttest::msgData(81, 82, 1, "one");
        const std::string m2 = tttest::msgData(81, 82, 2, "two");
        const std::string m3 = tttest::readNotify(81, 82, 99, 3);
        const std::string m4 = tttest::msgData(81, 82, 4, "four");
        const std::string sign = signInfoWithSeq(81, 5);
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
        auto [a, b, c] = admitMsgServers<3>();
        const std::string big = tttest::msgData(91, 92, 1, patternedBytes(64 * 1024, 7));
        const std::string huge = tttest::msgData(91, 92, 2, patternedBytes(3 * 1024 * 1024, 11));
        const std::string small = tttest::msgData(91, 92, 3, "after the big ones");
        assertRelayedToTheOthers(*a, {big, huge, small}, {b.get(), c.get()});
    }

    void frameSplitIntoTinyWritesIsRelayedIntact()
    {
        start();
        auto [a, b, c] = admitMsgServers<3>();
        const std::string message = tttest::msgData(101, 102, 1, patternedBytes(300, 3));
        const std::string sign = signInfoWithSeq(101, 9);
        const std::string stream = tttest::statusUpdate(101, kOnline, kWindows) + message + sign + tttest::statusRequest(0x77, 101, {101});
        std::size_t at = 0;
        for (std::size_t piece = 1; at < stream.size(); piece = piece % 7 + 1)
        {
            const std::size_t count = std::min(piece, stream.size() - at);
            a->send(stream.substr(at, count));
            at += count;
            // Not synchronisation: a pause that gives the server a chance to read each piece on
            // its own. Whether it does changes nothing the test checks, only what it exercises.
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

    void slowReaderIsDroppedWithoutHurtingOthers()
    {
        start({{"max_pdu_bytes", "64K"}, {"max_outbox_bytes", "1100K"}});
        auto [sender, slow, reader] = admitMsgServers<3>();
        const std::string chunk = tttest::msgData(151, 152, 1, patternedBytes(60 * 1024, 1));
        bool dropped = false;
        for (int i = 0; i < 5000 && !dropped; ++i)
        {
            sender->send(chunk);
            assertSameBytes(chunk, reader->receive().bytes, "reader frame " + std::to_string(i));
            dropped = served().log().find("queue_overflow") != std::string::npos;
        }
        CPPUNIT_ASSERT_MESSAGE(served().log(), dropped);
        CPPUNIT_ASSERT_MESSAGE(served().log(), served().log().find("max_outbox_bytes 1126400") != std::string::npos);
        CPPUNIT_ASSERT(slow->waitClosed(10s));
        const std::string last = tttest::msgData(151, 152, 2, "after the drop");
        sender->send(last);
        assertNothing(sender->sync(), "sender");
        assertFrames({last}, reader->sync(), "reader");
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PluginRelayTest);
