// integration_faults, connections that stall mid-frame: half a header and then gone, or gone
// silent, and a trickle into a huge frame, are ended (the last two by the idle timeout, as no
// whole PDU arrives) while keepers that send whole PDUs stay and lose nothing (Faults.h; the
// keepers' send times tell a run that proves nothing apart: Lifeline.h).
#include "FakeMsgServer.h"
#include "Faults.h"
#include "FrameAssertions.h"
#include "Lifeline.h"
#include "LossAnnouncements.h"
#include "MsgServerChecks.h"
#include "ProtocolConstants.h"
#include "WireFrames.h"

#include <Poco/Exception.h>

#include <cppunit/extensions/HelperMacros.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

using namespace tttest;
using namespace tttest::protocol;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace
{

/// Writes `bytes`; false when the route server has closed the connection already.
bool trySend(FakeMsgServer& fake, const std::string& bytes)
{
    try
    {
        fake.send(bytes);
        return true;
    }
    catch (const Poco::Exception&)
    {
        return false;
    }
}

} // namespace

class FaultIdleTimeoutTest : public Faults
{
    CPPUNIT_TEST_SUITE(FaultIdleTimeoutTest);
    CPPUNIT_TEST(halfAHeaderThenGoneClosesOnlyThatConnection);
    CPPUNIT_TEST(tricklingIntoAHugeFrameIsClosedByTheIdleTimeout);
    CPPUNIT_TEST_SUITE_END();

public:
    void halfAHeaderThenGoneClosesOnlyThatConnection()
    {
        startWhileKeepersKeepTime(1500ms, 2, {{"heartbeat_interval", "200ms"}},
                                  [&](std::vector<Lifeline>& keeperLives) { halfAHeaderThenGone(keeperLives[0], keeperLives[1]); });
    }

    void tricklingIntoAHugeFrameIsClosedByTheIdleTimeout()
    {
        startWhileKeepersKeepTime(2000ms, 2, {{"max_pdu_bytes", "4M"}, {"heartbeat_interval", "200ms"}},
                                  [&](std::vector<Lifeline>& keeperLives) { tricklingIntoAHugeFrame(keeperLives[0], keeperLives[1]); });
    }

private:
    /// One run of halfAHeaderThenGoneClosesOnlyThatConnection(), the keepers' sends noted in `life1` and `life2`.
    void halfAHeaderThenGone(Lifeline& life1, Lifeline& life2)
    {
        auto keeper1 = life1.around([&] { return connectAdmitted(port()); });
        auto keeper2 = life2.around([&] { return connectAdmitted(port()); });
        const std::string half = tttest::makeRawFrame(3, kMsgData, 1, "", 1024).substr(0, 8);

        // Half a header, then the socket closes.
        auto closer = connectAdmitted(port());
        closer->send(tttest::onlineUserInfo({{6001, kOnline, kWindows}}));
        assertNothing(closer->sync(), "closer");
        const std::string closerName = closer->logName();
        closer->send(half);
        closer->close();
        CPPUNIT_ASSERT_MESSAGE(served().log(), !served().waitForLine({closerName, "disconnected ("}).empty());
        assertOfflineAnnouncements(life1.around([&] { return keeper1->sync(); }), {6001}, {}, "keeper1");
        assertOfflineAnnouncements(life2.around([&] { return keeper2->sync(); }), {6001}, {}, "keeper2");

        // Half a header, then silence with the socket open (a host that vanished): the idle
        // timeout ends it while the keepers, who send life, stay.
        auto silent = connectAdmitted(port());
        silent->send(tttest::onlineUserInfo({{6002, kOnline, kMac}}));
        assertNothing(silent->sync(), "silent");
        silent->send(half);
        bool closed = false;
        const auto deadline = Clock::now() + 15s;
        while (!closed && Clock::now() < deadline)
        {
            life1.around([&] { keeper1->send(tttest::heartbeat()); });
            life2.around([&] { keeper2->send(tttest::heartbeat()); });
            closed = silent->waitClosed(100ms);
        }
        CPPUNIT_ASSERT_MESSAGE(served().log(), closed);
        const std::string line = served().waitForLine({silent->logName(), "disconnected (idle_timeout)"});
        CPPUNIT_ASSERT_MESSAGE(served().log(), line.find("no whole PDU received for 1500 ms") != std::string::npos);
        assertOfflineAnnouncements(life1.around([&] { return keeper1->sync(); }), {6002}, {}, "keeper1");
        assertOfflineAnnouncements(life2.around([&] { return keeper2->sync(); }), {6002}, {}, "keeper2");
        assertSurvivorsWork({keeper1.get(), keeper2.get()}, 7);
        CPPUNIT_ASSERT_EQUAL(statuses({kOffline, kOffline}), statuses(queryStatuses(*keeper1, {6001, 6002})));
    }

    /// One run of tricklingIntoAHugeFrameIsClosedByTheIdleTimeout(), the keepers' sends noted in `life1` and `life2`.
    void tricklingIntoAHugeFrame(Lifeline& life1, Lifeline& life2)
    {
        auto keeper1 = life1.around([&] { return connectAdmitted(port()); });
        auto keeper2 = life2.around([&] { return connectAdmitted(port()); });
        auto trickler = connectAdmitted(port());
        trickler->send(tttest::onlineUserInfo({{7001, kOnline, kWindows}}));
        assertNothing(trickler->sync(), "trickler");

        // A header promising 4 MiB, then one byte a second: bytes, but never a whole PDU.
        const std::string promise = tttest::makeRawFrame(3, kMsgData, 0x0707, "", 4 * 1024 * 1024);
        trickler->send(promise);
        std::vector<std::string> relayed;
        bool closed = false;
        std::size_t trickled = 0;
        auto nextByte = Clock::now();
        const auto deadline = Clock::now() + 10s; // the idle timeout is 2 s: only a trickle that resets it lasts this long
        for (std::uint32_t round = 0; !closed && Clock::now() < deadline; ++round)
        {
            if (Clock::now() >= nextByte)
            {
                nextByte += 1s;
                closed = !trySend(*trickler, std::string(1, 'x'));
                trickled += closed ? 0 : 1;
            }
            // The keepers send whole PDUs (life) and keep relaying between themselves.
            relayed.push_back(tttest::msgData(7002, 7003, round, patternedBytes(200, round)));
            life1.around([&] { keeper1->send(relayed.back()); });
            life2.around([&] { keeper2->send(tttest::heartbeat()); });
            closed = closed || trickler->waitClosed(100ms);
        }
        CPPUNIT_ASSERT_MESSAGE(served().log(), closed);
        CPPUNIT_ASSERT(trickled >= 1);
        const std::string line = served().waitForLine({trickler->logName(), "disconnected (idle_timeout)"});
        CPPUNIT_ASSERT_MESSAGE(served().log(), line.find("no whole PDU received for 2000 ms") != std::string::npos);

        // keeper2 got every relayed frame, in order, and heard the trickler's user go offline
        // once (somewhere among them); nothing partial.
        assertOfflineAnnouncements(life1.around([&] { return keeper1->sync(); }), {7001}, {}, "keeper1"); // and keeper1's last frame went out
        std::vector<WireFrame> messages;
        std::vector<WireFrame> others;
        for (auto& frame : life2.around([&] { return keeper2->sync(); }))
            (frame.commandId == kMsgData ? messages : others).push_back(std::move(frame));
        assertFrames(relayed, messages, "keeper2");
        assertOfflineAnnouncements(others, {7001}, {}, "keeper2");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(served().log(), std::size_t(1), occurrences(served().log(), "disconnected ("));
        assertSurvivorsWork({keeper1.get(), keeper2.get()}, 8);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(FaultIdleTimeoutTest);
