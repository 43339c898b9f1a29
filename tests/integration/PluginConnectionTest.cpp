// integration_plugin, a connection's line: heartbeats on a quiet one, the idle timeout (also
// for a thread that comes back late), header lengths below 16 or above max_pdu_bytes that end
// only their connection, a frame of exactly max_pdu_bytes, frames before a bad header, and
// bodies that do not parse (protocol.md §1, route.idle_timeout, route.max_pdu_bytes).
#include "DiagnosticText.h"
#include "FakeMsgServer.h"
#include "FrameAssertions.h"
#include "Lifeline.h"
#include "LogLines.h"
#include "MsgServerChecks.h"
#include "ProtocolConstants.h"
#include "ServedPluginFixture.h"
#include "WireFrames.h"

#include <Poco/Exception.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <cppunit/extensions/HelperMacros.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

using namespace tttest;
using namespace tttest::protocol;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

class PluginConnectionTest : public tttest::ServedPluginFixture
{
    CPPUNIT_TEST_SUITE(PluginConnectionTest);
    CPPUNIT_TEST(serverSendsHeartbeatOnAQuietLine);
    CPPUNIT_TEST(silentConnectionIsClosedAfterIdleTimeout);
    CPPUNIT_TEST(lateThreadReadsWhatArrivedBeforeCallingTheLineIdle);
    CPPUNIT_TEST(lengthBelowHeaderClosesOnlyThatConnection);
    CPPUNIT_TEST(lengthAboveMaxPduBytesClosesOnlyThatConnection);
    CPPUNIT_TEST(frameOfExactlyMaxPduBytesIsRelayed);
    CPPUNIT_TEST(framesBeforeABadHeaderAreStillRouted);
    CPPUNIT_TEST(unparsableBodiesAreDroppedAndTheConnectionStays);
    CPPUNIT_TEST_SUITE_END();

public:
    PluginConnectionTest()
        : ServedPluginFixture(TTROUTE_PLUGIN_PATH)
    {
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
        startWhileKeepersKeepTime(600ms, 1, {{"heartbeat_interval", "100ms"}},
                                  [&](std::vector<Lifeline>& keeperLives) { onlyTheSilentConnectionIdlesOut(keeperLives[0]); });
    }

    /// Issue: the idle timeout is about what arrived, not about what the connection's thread
    /// has read. A thread that comes back late (held here in a log call, as a page fault or a
    /// busy machine may hold it anywhere) reads what arrived meanwhile before it calls the line
    /// idle: a connection whose PDUs arrived in time stays and is answered.
    void lateThreadReadsWhatArrivedBeforeCallingTheLineIdle()
    {
        start();
        auto keeper = connectAdmitted(port());
        served().holdLog();
        // The keeper's thread logs the role it now claims, and waits in that log call.
        keeper->send(tttest::roleSet(true));
        CPPUNIT_ASSERT_MESSAGE(served().log(), served().waitForHeldLogWriter());
        const Clock::time_point held = Clock::now(); // the ROLE_SET was read before this
        // Changed only now, so the keeper was never at risk while this thread got here.
        constexpr auto kIdleTimeout = 100ms;
        served().reconfigure({{"idle_timeout", std::to_string(kIdleTimeout.count()) + "ms"}});
        // What arrives while the thread is held: life, and a request to be answered.
        keeper->send(tttest::heartbeat());
        keeper->send(tttest::statusRequest(0x0B0C, 4711, {1}));
        // Not synchronisation: the thread must be late by more than idle_timeout, and only the
        // clock can make it so.
        std::this_thread::sleep_until(held + kIdleTimeout);
        served().releaseLog();
        // Answered once the thread reads its input: the connection was not closed as idle.
        // (Later, silent for idle_timeout, it rightly is; the answer is out before that.)
        WireFrame answer;
        try
        {
            answer = keeper->receive();
        }
        catch (const Poco::Exception& error)
        {
            CPPUNIT_FAIL("closed instead of answered (" + error.displayText() + "); the log:\n" + served().log());
        }
        CPPUNIT_ASSERT_EQUAL_MESSAGE(describeFrames({answer}) + "; the log:\n" + served().log(), kUsersStatusResponse, answer.commandId);
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
        auto [a, b, c] = admitMsgServers<3>();
        const std::string exact = tttest::makeRawFrame(3, 0x0301, 1, patternedBytes(64 * 1024 - 16, 5));
        a->send(exact);
        assertNothing(a->sync(), "a");
        assertFrames({exact}, b->sync(), "b");
        assertFrames({exact}, c->sync(), "c");
        const std::string over = tttest::makeRawFrame(3, 0x0301, 2, patternedBytes(64 * 1024 - 15, 6));
        a->send(over);
        CPPUNIT_ASSERT(a->waitClosed());
        CPPUNIT_ASSERT_MESSAGE(served().log(), served().waitForLog("exceeds max_pdu_bytes 65536"));
        assertNothing(b->sync(), "b");
        assertNothing(c->sync(), "c");
    }

    void framesBeforeABadHeaderAreStillRouted()
    {
        start();
        auto [a, b, c] = admitMsgServers<3>();
        const std::string good = tttest::msgData(121, 122, 1, "before the bad header");
        a->send(good + tttest::makeRawFrame(3, 0x0301, 2, "", 3));
        CPPUNIT_ASSERT(a->waitClosed());
        assertFrames({good}, b->sync(), "b");
        assertFrames({good}, c->sync(), "c");
        // Counted as received too: the admitting sync's request and the good frame.
        CPPUNIT_ASSERT_MESSAGE(served().log(), served().waitForLog("(bad_frame)"));
        CPPUNIT_ASSERT_MESSAGE(served().log(), served().waitForLog("; received 2 frames / "));
    }

    void unparsableBodiesAreDroppedAndTheConnectionStays()
    {
        start();
        auto [a, b, c] = admitMsgServers<3>();
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
        CPPUNIT_ASSERT_MESSAGE(served().log(), served().waitForLog("is not a valid message"));
        // Still fully in business.
        a->send(tttest::statusUpdate(131, kOnline, kWindows));
        assertStatusNotifications(a->sync(), 131, 1, kOnline, "a");
        assertStatusNotifications(b->sync(), 131, 1, kOnline, "b");
        CPPUNIT_ASSERT_EQUAL(statuses({kOnline}), statuses(queryStatuses(*a, {131})));
    }

private:
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
        CPPUNIT_ASSERT_MESSAGE(served().log(), closed);
        CPPUNIT_ASSERT_MESSAGE(served().log(), served().waitForLog("disconnected (idle_timeout)"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(served().log(), std::size_t(1),
                                     tttest::linesWith(served().log(), {silentName, "disconnected (idle_timeout)"}).size());
        // The keeper is alive and hears that the silent server's user went offline.
        assertStatusNotifications(keeperLife.around([&] { return keeper->sync(); }), 111, -1, kOffline, "keeper");
        CPPUNIT_ASSERT_EQUAL(statuses({kOffline}), statuses(keeperLife.around([&] { return queryStatuses(*keeper, {111}); })));
        CPPUNIT_ASSERT_MESSAGE(served().log(), tttest::linesWith(served().log(), {keeperName, "disconnected"}).empty());
    }

    /// A connection sending a header with `length` is closed, logged with the value; two
    /// others keep routing between themselves.
    void assertBadLengthClosesOnlyTheSender(std::int64_t length, const std::string& why)
    {
        // A user of its own each time: one announced offline before would be announced
        // online again when listed (protocol.md §7).
        const std::uint32_t user = nextVictimUser_++;
        auto [good1, victim, good2] = admitMsgServers<3>();
        victim->send(tttest::onlineUserInfo({{user, kOnline, kWindows}}));
        assertNothing(victim->sync(), "victim");
        victim->send(tttest::makeRawFrame(3, 0x0301, 0x0909, "", length));
        CPPUNIT_ASSERT_MESSAGE("length " + std::to_string(length) + " was accepted", victim->waitClosed());
        const std::string text = "frame length " + std::to_string(length) + " " + why;
        CPPUNIT_ASSERT_MESSAGE(served().log(), served().waitForLog(text));
        CPPUNIT_ASSERT_MESSAGE(served().log(), served().waitForLog("bad_frame"));
        CPPUNIT_ASSERT_MESSAGE(served().log(), served().log().find("127.0.0.1:") != std::string::npos);

        // The victim's user is announced offline to the survivors, who keep working.
        assertStatusNotifications({good1->receive()}, user, -1, kOffline, "good1");
        assertStatusNotifications({good2->receive()}, user, -1, kOffline, "good2");
        const std::string message = tttest::msgData(1, 2, 3, "survivors");
        good1->send(message);
        assertNothing(good1->sync(), "good1");
        assertFrames({message}, good2->sync(), "good2");
        CPPUNIT_ASSERT_EQUAL(statuses({kOffline}), statuses(queryStatuses(*good2, {user})));
    }

    std::uint32_t nextVictimUser_ = 171;
};

CPPUNIT_TEST_SUITE_REGISTRATION(PluginConnectionTest);
