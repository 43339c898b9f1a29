// How the router paces a burst of announcements (a lost connection's users at the end of their
// grace) to what the msg servers read (OutboxPacer): it waits while a peer that reads drains
// its queue, and gives up on a peer that does not read once, not once per slice or per burst,
// until it reads again. Queues are modelled by what a peer reports, so no test depends on a
// socket's speed.
#include "LogLines.h"
#include "LossSettings.h"
#include "ProtocolConstants.h"
#include "RouterHarness.h"
#include "WireFrames.h"

#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

using namespace tttest::protocol;
using namespace std::chrono_literals;

namespace
{

/// More than the router lets a peer's outbox hold before it waits (1 MiB by default).
constexpr std::size_t kLargeQueue = 2 * 1024 * 1024;

/// A msg server whose queue stays at `queue` bytes whatever it is sent: one that has stopped
/// reading, unless the test empties its queue.
class StuckPeer : public tttest::RecordingPeer
{
public:
    using RecordingPeer::RecordingPeer;

    std::size_t queuedBytes() const override { return queue; }

    std::atomic<std::size_t> queue{kLargeQueue};
};

/// A msg server that reads slowly: each delivery queues kLargeQueue more, and each look at its
/// queue finds 64 KiB fewer bytes in it. Remembers the largest queue a delivery found.
class SlowPeer : public tttest::RecordingPeer
{
public:
    using RecordingPeer::RecordingPeer;

    void deliver(ttroute::FrameBatch& batch) override
    {
        largestQueueAtDelivery = std::max(largestQueueAtDelivery.load(), queue_.load());
        queue_ += kLargeQueue;
        RecordingPeer::deliver(batch);
    }

    std::size_t queuedBytes() const override
    {
        const std::size_t step = 64 * 1024;
        queue_ = queue_ > step ? queue_ - step : 0;
        return queue_;
    }

    std::atomic<std::size_t> largestQueueAtDelivery{0};

private:
    mutable std::atomic<std::size_t> queue_{0};
};

/// Users in four slices of the router's announcements (4,096 users a slice).
constexpr std::uint32_t kUsers = 3 * 4096 + 1;

/// Attaches a msg server with connection id `id` that hosts kUsers users logged in from a PC
/// (ids from `firstUser` on), takes it away, and lets the grace end: their offline
/// announcements go out, in several slices.
void loseUsers(tttest::RouterHarness& h, ttroute::ConnectionId id, std::uint32_t firstUser)
{
    auto lost = h.attach(id);
    std::vector<std::vector<std::uint32_t>> entries;
    for (std::uint32_t user = firstUser; user < firstUser + kUsers; ++user)
        entries.push_back({user, kOnline, kWindows});
    h.route(*lost, tttest::onlineUserInfo(entries));
    h.router.detach(*lost, true);
    h.router.announceLosses(std::chrono::steady_clock::now() + 2h);
}

/// The router's lines saying it stopped waiting for `peer`.
std::size_t givenUpLines(const tttest::RouterHarness& h, const std::string& peer)
{
    return tttest::linesWith(h.log(), {peer + ": ", "not read for 200 ms"}).size();
}

} // namespace

class AnnouncementPacingTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(AnnouncementPacingTest);
    CPPUNIT_TEST(peerThatDoesNotReadIsGivenUpOnceUntilItReadsAgain);
    CPPUNIT_TEST(peerThatReadsSlowlyIsWaitedForBeforeEachSlice);
    CPPUNIT_TEST_SUITE_END();

public:
    void peerThatDoesNotReadIsGivenUpOnceUntilItReadsAgain()
    {
        tttest::RouterHarness h(tttest::lossSettings(1h));
        auto reader = h.attach(2);
        auto stuck = std::make_shared<StuckPeer>(3);
        h.router.attach(stuck);

        loseUsers(h, 1, 1);
        // Everyone still gets every announcement, the stuck peer too: its own limits deal with it.
        CPPUNIT_ASSERT_EQUAL(std::size_t(kUsers), reader->frames().size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(kUsers), stuck->frames().size());
        // Given up on after the first slice, and not waited for again: one line, not one a slice.
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), givenUpLines(h, "peer #3"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), givenUpLines(h, "peer #2"));

        // Nor in the next burst, while it still does not read.
        loseUsers(h, 4, 100000);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2 * kUsers), stuck->frames().size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), givenUpLines(h, "peer #3"));

        // Once it has read its queue, it is waited for again, and given up on again when it stops.
        stuck->queue = 0;
        loseUsers(h, 5, 200000);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), givenUpLines(h, "peer #3"));
        stuck->queue = kLargeQueue;
        loseUsers(h, 6, 300000);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), givenUpLines(h, "peer #3"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(4 * kUsers), reader->frames().size());
    }

    void peerThatReadsSlowlyIsWaitedForBeforeEachSlice()
    {
        tttest::RouterHarness h(tttest::lossSettings(1h));
        auto slow = std::make_shared<SlowPeer>(2);
        h.router.attach(slow);

        loseUsers(h, 1, 1);

        CPPUNIT_ASSERT_EQUAL(std::size_t(kUsers), slow->frames().size());
        CPPUNIT_ASSERT(slow->batchCount() >= 4);
        // Each slice went out once the queue was back to what the router finds comfortable.
        CPPUNIT_ASSERT(slow->largestQueueAtDelivery.load() <= kLargeQueue / 2);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), givenUpLines(h, "peer #2"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(AnnouncementPacingTest);
