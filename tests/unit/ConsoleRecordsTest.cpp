// What the status page and ttctl read besides live state: the traffic second by second
// (RateHistory, from RouteCounters) and the connections that ended (DisconnectLog).
#include "admin/RateHistory.h"
#include "connections/DisconnectLog.h"
#include "routing/RouteCounters.h"
#include "wire/ProtocolIds.h"

#include <cppunit/extensions/HelperMacros.h>

using ttroute::Disconnect;
using ttroute::DisconnectLog;
using ttroute::DisconnectReason;
using ttroute::RateHistory;
using ttroute::RouteCounters;
using namespace std::chrono_literals;

namespace
{

std::chrono::system_clock::time_point atMs(std::int64_t ms)
{
    return std::chrono::system_clock::time_point(std::chrono::milliseconds(ms));
}

} // namespace

class ConsoleRecordsTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ConsoleRecordsTest);
    CPPUNIT_TEST(firstSampleOnlyNotesWhereTheCountersStand);
    CPPUNIT_TEST(samplesHoldWhatTheCountersGained);
    CPPUNIT_TEST(sinceReturnsTheLaterSamplesOldestFirst);
    CPPUNIT_TEST(historyKeepsTenMinutes);
    CPPUNIT_TEST(disconnectsAreNewestFirstAndBounded);
    CPPUNIT_TEST_SUITE_END();

public:
    void firstSampleOnlyNotesWhereTheCountersStand()
    {
        RouteCounters counters;
        counters.received.add(ttroute::CommandId::MsgData, 1000, 100000);
        RateHistory history(counters);
        history.sample(atMs(1000));
        CPPUNIT_ASSERT(history.since(0).empty());
    }

    void samplesHoldWhatTheCountersGained()
    {
        RouteCounters counters;
        counters.received.add(ttroute::CommandId::MsgData, 1000, 100000);
        RateHistory history(counters);
        history.sample(atMs(1000));
        counters.received.add(ttroute::CommandId::MsgData, 7, 700);
        counters.received.add(ttroute::CommandId::UsersStatusRequest, 3, 90);
        counters.sent.add(ttroute::CommandId::MsgData, 14, 1400);
        RouteCounters::add(counters.statusQueries, 3);
        RouteCounters::add(counters.framesRelayed, 7);
        RouteCounters::add(counters.notificationsSent, 2);
        history.sample(atMs(2000));
        const auto samples = history.since(0);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), samples.size());
        const RateHistory::Sample& s = samples.front();
        CPPUNIT_ASSERT_EQUAL(std::int64_t(2000), s.timeMs);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(7), s.pdus[ttroute::commandSlot(ttroute::CommandId::MsgData)]);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(3), s.pdus[ttroute::commandSlot(ttroute::CommandId::UsersStatusRequest)]);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), s.pdus[ttroute::commandSlot(ttroute::CommandId::Heartbeat)]);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(3), s.statusQueries);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(7), s.relayed);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), s.notifications);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(790), s.bytesIn);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1400), s.bytesOut);
    }

    void sinceReturnsTheLaterSamplesOldestFirst()
    {
        RouteCounters counters;
        RateHistory history(counters);
        for (std::int64_t second = 1; second <= 5; ++second)
        {
            RouteCounters::add(counters.statusQueries, static_cast<std::uint64_t>(second));
            history.sample(atMs(second * 1000));
        }
        const auto later = history.since(3000);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), later.size());
        CPPUNIT_ASSERT_EQUAL(std::int64_t(4000), later[0].timeMs);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(4), later[0].statusQueries);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(5000), later[1].timeMs);
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), history.since(0).size());
        CPPUNIT_ASSERT(history.since(5000).empty());
    }

    void historyKeepsTenMinutes()
    {
        RouteCounters counters;
        RateHistory history(counters);
        const std::int64_t taken = static_cast<std::int64_t>(RateHistory::kCapacity) + 50;
        for (std::int64_t second = 0; second <= taken; ++second)
            history.sample(atMs(second * 1000));
        const auto samples = history.since(0);
        CPPUNIT_ASSERT_EQUAL(RateHistory::kCapacity, samples.size());
        CPPUNIT_ASSERT_EQUAL(taken * 1000, samples.back().timeMs);
        CPPUNIT_ASSERT_EQUAL((taken - static_cast<std::int64_t>(RateHistory::kCapacity) + 1) * 1000, samples.front().timeMs);
    }

    void disconnectsAreNewestFirstAndBounded()
    {
        DisconnectLog log;
        CPPUNIT_ASSERT(log.recent().empty());
        const ttroute::ConnectionId ended = DisconnectLog::kCapacity + 10;
        for (ttroute::ConnectionId i = 1; i <= ended; ++i)
            log.record({atMs(static_cast<std::int64_t>(i)), i, "127.0.0.1:" + std::to_string(i), DisconnectReason::IdleTimeout, "idle", 5s, i});
        const auto recent = log.recent();
        CPPUNIT_ASSERT_EQUAL(DisconnectLog::kCapacity, recent.size());
        CPPUNIT_ASSERT_EQUAL(ended, recent.front().id);
        CPPUNIT_ASSERT_EQUAL(ttroute::ConnectionId(ended - DisconnectLog::kCapacity + 1), recent.back().id);
        CPPUNIT_ASSERT_EQUAL(std::string("idle"), recent.front().detail);
        CPPUNIT_ASSERT(DisconnectReason::IdleTimeout == recent.front().reason);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ConsoleRecordsTest);
