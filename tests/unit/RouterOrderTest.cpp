// Order (Router.h): within one read, every peer receives relays, notifications and answers
// in the order their causes came, consecutive frames to the same peers travel as one batch,
// and status changes reach every peer in one order even when several connections route at once.
#include "FrameTokens.h"
#include "ProtocolConstants.h"
#include "RecordingPeer.h"
#include "RecordingPeerChecks.h"
#include "RelayedToOthers.h"
#include "RouterHarness.h"
#include "WireFrames.h"

#include <cppunit/extensions/HelperMacros.h>

#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

using routertest::kRelayedToOthers;
using routertest::relayFrame;
using routertest::signInfoChanged;
using ttroute::ConnectionId;
using tttest::assertEachReceived;
using tttest::buddyNotify;
using tttest::clearAll;
using tttest::describeBytes;
using tttest::described;
using tttest::describeFrame;
using tttest::joined;
using tttest::loginNotify;
using tttest::RecordingPeer;
using tttest::tokens;
using namespace tttest::protocol;

using Harness = tttest::RouterHarness;

class RouterOrderTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(RouterOrderTest);
    CPPUNIT_TEST(consecutiveRelaysArriveInOrder);
    CPPUNIT_TEST(relaysOfDifferentDestinationsKeepOrder);
    CPPUNIT_TEST(statusUpdatesOfOneReadNotifyInOrder);
    CPPUNIT_TEST(manyStatusUpdatesInOneRead);
    CPPUNIT_TEST(readOrderIsKeptForEveryPeer);
    CPPUNIT_TEST(everyPeerSeesNotificationsInTheSameOrder);
    CPPUNIT_TEST_SUITE_END();

public:
    void consecutiveRelaysArriveInOrder()
    {
        Harness h;
        auto a = h.attach(1), b = h.attach(2), c = h.attach(3);
        std::string stream;
        for (std::uint32_t i = 0; i < 50; ++i)
            stream += relayFrame(kRelayedToOthers[i % kRelayedToOthers.size()].second, i, static_cast<std::uint16_t>(i));
        h.route(*b, stream);
        CPPUNIT_ASSERT(stream == a->bytes());
        CPPUNIT_ASSERT(stream == c->bytes());
        CPPUNIT_ASSERT(!b->received());
        CPPUNIT_ASSERT_EQUAL(std::size_t(50), a->frames().size());
        // Router.h: a run of consecutive frames with the same destinations travels as one batch.
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), a->batchCount());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(50), h.counters.framesRelayed.load());
    }

    void relaysOfDifferentDestinationsKeepOrder()
    {
        Harness h;
        auto a = h.attach(1), b = h.attach(2);
        const std::string m1 = relayFrame(kMsgData, 1), s2 = signInfoChanged(2), s3 = signInfoChanged(3), m4 = relayFrame(kMsgReadNotify, 4),
                          s5 = signInfoChanged(5);
        h.route(*a, m1 + s2 + s3 + m4 + s5);
        CPPUNIT_ASSERT(m1 + s2 + s3 + m4 + s5 == b->bytes());
        CPPUNIT_ASSERT(s2 + s3 + s5 == a->bytes());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(5), h.counters.framesRelayed.load());
    }

    void statusUpdatesOfOneReadNotifyInOrder()
    {
        Harness h;
        auto a = h.attach(1), b = h.attach(2);
        h.route(*a, tttest::statusUpdate(1, kOnline, kWindows) + tttest::statusUpdate(2, kOnline, kIos) +
                        tttest::statusUpdate(2, kOnline, kMac) + tttest::statusUpdate(1, kOffline, kWindows) +
                        tttest::statusUpdate(2, kOffline, kMac));
        const std::string expected = joined({loginNotify(1, 1), buddyNotify(1, kOnline), loginNotify(2, 1), buddyNotify(2, kOnline),
                                             buddyNotify(1, kOffline), loginNotify(2, 0), buddyNotify(2, kOffline)});
        assertEachReceived(expected, {a, b});
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(7), h.counters.notificationsSent.load());
    }

    void manyStatusUpdatesInOneRead()
    {
        // Enough notifications for several generated blocks; order and count must survive the split.
        Harness h;
        auto a = h.attach(1), b = h.attach(2, true);
        constexpr std::uint32_t kUsers = 12000;
        std::string stream;
        for (std::uint32_t user = 1; user <= kUsers; ++user)
            stream += tttest::statusUpdate(user, kOnline, kWindows);
        h.route(*a, stream);
        for (auto* peer : {a.get(), b.get()})
        {
            const auto frames = peer->frames();
            CPPUNIT_ASSERT_EQUAL(std::size_t(2 * kUsers), frames.size());
            for (std::uint32_t user = 1; user <= kUsers; ++user)
            {
                if (describeFrame(frames[2 * (user - 1)]) != loginNotify(user, 1) ||
                    describeFrame(frames[2 * (user - 1) + 1]) != buddyNotify(user, kOnline))
                    CPPUNIT_FAIL(peer->description() + ": notifications for user " + std::to_string(user) + " are " +
                                 describeFrame(frames[2 * (user - 1)]) + ", " + describeFrame(frames[2 * (user - 1) + 1]));
            }
        }
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(2 * kUsers), h.counters.notificationsSent.load());
        CPPUNIT_ASSERT_EQUAL(std::size_t(kUsers), h.presence.userCount());
    }

    void readOrderIsKeptForEveryPeer()
    {
        Harness h;
        auto a = h.attach(1), b = h.attach(2), c = h.attach(3);
        const std::string r1 = relayFrame(kMsgData, 1), r2 = relayFrame(kFileNotify, 2), sign = signInfoChanged(3);
        h.route(*a, r1 + tttest::statusUpdate(100, kOnline, kWindows) + r2 + tttest::statusRequest(9, 5, {100}));
        const std::string relay1 = describeBytes(r1);
        const std::string relay2 = describeBytes(r2);
        const std::string expectedOthers = joined({relay1, loginNotify(100, 1), buddyNotify(100, kOnline), relay2});
        assertEachReceived(expectedOthers, {b, c});
        CPPUNIT_ASSERT_EQUAL(joined({loginNotify(100, 1), buddyNotify(100, kOnline), "2/020b seq=9 user=5 [ 100=1 ]"}), described(*a));
        // The relayed frames inside the mix are still the exact bytes.
        const auto frames = b->frames();
        CPPUNIT_ASSERT(r1 == frames[0].bytes);
        CPPUNIT_ASSERT(r2 == frames[3].bytes);

        // Requests first, with a relay to everyone and a logoff in the mix.
        clearAll({a, b, c});
        h.route(*a, tttest::statusRequest(10, 5, {100}) + sign + tttest::statusUpdate(100, kOffline, kWindows) + r1 +
                        tttest::statusRequest(11, 5, {100}));
        const std::string signToken = describeBytes(sign);
        CPPUNIT_ASSERT_EQUAL(joined({"2/020b seq=10 user=5 [ 100=1 ]", signToken, buddyNotify(100, kOffline),
                                     "2/020b seq=11 user=5 [ 100=2 ]"}),
                             described(*a));
        assertEachReceived(joined({signToken, buddyNotify(100, kOffline), relay1}), {b, c});
    }

    void everyPeerSeesNotificationsInTheSameOrder()
    {
        // Router.h: status changes reach every msg server in the order they were applied,
        // even when several connections route at once.
        Harness h;
        constexpr int kSenders = 4;
        constexpr std::uint32_t kRounds = 300;
        std::vector<std::shared_ptr<RecordingPeer>> peers;
        for (int i = 0; i < kSenders; ++i)
            peers.push_back(h.attach(static_cast<ConnectionId>(i + 1)));
        std::vector<std::thread> threads;
        for (int i = 0; i < kSenders; ++i)
            threads.emplace_back([&h, &peers, i] {
                for (std::uint32_t round = 0; round < kRounds; ++round)
                {
                    const std::uint32_t user = static_cast<std::uint32_t>(i) * 100000 + round;
                    h.route(*peers[static_cast<std::size_t>(i)],
                            tttest::statusUpdate(user, kOnline, kWindows) + tttest::statusUpdate(user, kOffline, kWindows));
                }
            });
        for (auto& thread : threads)
            thread.join();
        const auto reference = tokens(*peers[0]);
        CPPUNIT_ASSERT_EQUAL(std::size_t(kSenders * kRounds * 3), reference.size());
        for (const auto& peer : peers)
            CPPUNIT_ASSERT_MESSAGE(peer->description(), reference == tokens(*peer));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(kSenders * kRounds * 3), h.counters.notificationsSent.load());
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), h.presence.userCount());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RouterOrderTest);
