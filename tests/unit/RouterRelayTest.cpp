// The router's relay table (protocol.md §6) in broadcast mode, without sockets: recording
// peers stand in for msg servers. Every relayed command reaches every other peer byte for byte
// and SIGN_INFO_CHANGED the sender too, dispatched by command id alone, its body never parsed;
// shared copies; and relays around the frames the router answers or ignores.
#include "DiagnosticText.h"
#include "ProtocolConstants.h"
#include "RecordingPeerChecks.h"
#include "RelayedToOthers.h"
#include "RouterHarness.h"
#include "WireFrames.h"

#include <cppunit/extensions/HelperMacros.h>

#include <cstdint>
#include <string>

using routertest::kRelayedToOthers;
using routertest::relayFrame;
using routertest::signInfoChanged;
using tttest::clearAll;
using namespace tttest::protocol;

using Harness = tttest::RouterHarness;

class RouterRelayTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(RouterRelayTest);
    CPPUNIT_TEST(eachRelayedCommandGoesToEveryOtherPeer);
    CPPUNIT_TEST(signInfoChangedGoesToEveryoneIncludingSender);
    CPPUNIT_TEST(relayIsByteExactAndDispatchedByCommandAlone);
    CPPUNIT_TEST(relayedBodyIsNotParsed);
    CPPUNIT_TEST(relayWithNoOtherPeerGoesNowhere);
    CPPUNIT_TEST(relaySurvivesAPeerTakingSharedCopy);
    CPPUNIT_TEST(relaysAroundHeartbeatAndIgnoredFrames);
    CPPUNIT_TEST_SUITE_END();

public:
    void eachRelayedCommandGoesToEveryOtherPeer()
    {
        for (const auto& [serviceId, commandId] : kRelayedToOthers)
        {
            Harness h;
            auto a = h.attach(1), b = h.attach(2), c = h.attach(3);
            const std::string frame = relayFrame(commandId, 100, 0x1234);
            CPPUNIT_ASSERT_EQUAL(serviceId, static_cast<std::uint16_t>((static_cast<unsigned char>(frame[8]) << 8) | static_cast<unsigned char>(frame[9])));
            const std::string what = "command " + tttest::hex4(commandId);
            for (auto* from : {b.get(), a.get(), c.get()})
            {
                clearAll({a, b, c});
                h.route(*from, frame);
                for (auto* peer : {a.get(), b.get(), c.get()})
                {
                    const std::string expected = peer == from ? std::string() : frame;
                    CPPUNIT_ASSERT_MESSAGE(what + " from " + from->description() + " to " + peer->description(), expected == peer->bytes());
                }
            }
            CPPUNIT_ASSERT_EQUAL_MESSAGE(what, std::uint64_t(3), h.counters.framesRelayed.load());
            CPPUNIT_ASSERT_EQUAL_MESSAGE(what, std::uint64_t(0), h.counters.framesIgnored.load());
            CPPUNIT_ASSERT_EQUAL_MESSAGE(what, std::uint64_t(0), h.counters.notificationsSent.load());
        }
    }

    void signInfoChangedGoesToEveryoneIncludingSender()
    {
        Harness h;
        auto a = h.attach(1), b = h.attach(2), c = h.attach(3);
        const std::string frame = signInfoChanged(42);
        h.route(*b, frame);
        CPPUNIT_ASSERT(frame == a->bytes());
        CPPUNIT_ASSERT(frame == b->bytes());
        CPPUNIT_ASSERT(frame == c->bytes());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), h.counters.framesRelayed.load());
    }

    void relayIsByteExactAndDispatchedByCommandAlone()
    {
        // Odd version, flag, reserved and service: forwarded untouched, never re-encoded.
        Harness h;
        auto a = h.attach(1), b = h.attach(2);
        std::string frame = relayFrame(kMsgData, 5, 0xFFFF);
        frame[5] = '\x07';  // version
        frame[7] = '\x09';  // flag
        frame[9] = '\x0C';  // service 0x000c: not MSG's, still relayed by command id
        frame[14] = '\xAB'; // reserved
        frame[15] = '\xCD';
        std::string sign = signInfoChanged(6);
        sign[9] = '\x33';
        h.route(*a, frame + sign);
        CPPUNIT_ASSERT(frame + sign == b->bytes());
        CPPUNIT_ASSERT(sign == a->bytes());
    }

    void relayedBodyIsNotParsed()
    {
        Harness h;
        auto a = h.attach(1), b = h.attach(2);
        const std::string garbage = tttest::makeRawFrame(3, 0x0301, 1, std::string("\xFF\xFF\xFF\x00\x01", 5));
        const std::string empty = tttest::makeRawFrame(5, 0x0508, 2, "");
        h.route(*a, garbage + empty);
        CPPUNIT_ASSERT(garbage + empty == b->bytes());
        CPPUNIT_ASSERT(!a->received());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), h.counters.bodiesDropped.load());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), h.counters.framesRelayed.load());
    }

    void relayWithNoOtherPeerGoesNowhere()
    {
        Harness h;
        auto a = h.attach(1);
        h.route(*a, relayFrame(kMsgData, 1) + relayFrame(kSwitchP2PCmd, 2));
        CPPUNIT_ASSERT(!a->received());
    }

    void relaySurvivesAPeerTakingSharedCopy()
    {
        Harness h;
        auto a = h.attach(1), queued = h.attach(2, true), direct = h.attach(3), queuedToo = h.attach(4, true);
        const std::string stream = relayFrame(kMsgData, 1) + relayFrame(kGroupChangeMemberNotify, 2) + relayFrame(kFileNotify, 3);
        h.route(*a, stream);
        CPPUNIT_ASSERT(stream == queued->bytes());
        CPPUNIT_ASSERT(stream == direct->bytes());
        CPPUNIT_ASSERT(stream == queuedToo->bytes());
        CPPUNIT_ASSERT(!a->received());
    }

    void relaysAroundHeartbeatAndIgnoredFrames()
    {
        Harness h;
        auto a = h.attach(1), b = h.attach(2);
        const std::string r1 = relayFrame(kMsgData, 1), r2 = relayFrame(kMsgData, 2), r3 = relayFrame(kSwitchP2PCmd, 3);
        h.route(*a, r1 + tttest::heartbeat() + r2 + tttest::makeRawFrame(9, 0x0999, 0, "junk") + r3);
        CPPUNIT_ASSERT(r1 + r2 + r3 == b->bytes());
        CPPUNIT_ASSERT(!a->received());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RouterRelayTest);
