// What the router counts (RouteCounters): frames received, relayed, ignored and dropped,
// status queries and the ids they asked about, and notifications, by exact amounts; and the
// frames it ignores without a word: heartbeats, route-to-msg commands and unknown ones.
#include "LossSettings.h"
#include "ProtocolConstants.h"
#include "RecordingPeerChecks.h"
#include "RelayedToOthers.h"
#include "RouterHarness.h"
#include "RouterStatusQuery.h"
#include "WireFrames.h"
#include "routing/RouteCounters.h"
#include "wire/ProtocolIds.h"

#include "IM.Server.pb.h"

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

using routertest::relayFrame;
using routertest::signInfoChanged;
using ttroute::RouteCounters;
using tttest::announcedAtOnce;
using tttest::assertNoneReceived;
using tttest::clearAll;
using tttest::statusOf;
using namespace tttest::protocol;

using Harness = tttest::RouterHarness;

namespace
{

/// The counters at one moment, to compare with another.
struct CounterSnapshot
{
    std::uint64_t framesReceived, bytesReceived, framesRelayed, statusQueries, idsQueried, notificationsSent, bodiesDropped,
        framesIgnored;

    explicit CounterSnapshot(const RouteCounters& c)
        : framesReceived(sum(c.received.pdus))
        , bytesReceived(sum(c.received.bytes))
        , framesRelayed(c.framesRelayed.load())
        , statusQueries(c.statusQueries.load())
        , idsQueried(c.idsQueried.load())
        , notificationsSent(c.notificationsSent.load())
        , bodiesDropped(c.bodiesDropped.load())
        , framesIgnored(c.framesIgnored.load())
    {
    }

    static std::uint64_t sum(const std::atomic<std::uint64_t> (&slots)[ttroute::kCommandSlots])
    {
        std::uint64_t total = 0;
        for (const auto& slot : slots)
            total += slot.load();
        return total;
    }
};

} // namespace

class RouterCountersTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(RouterCountersTest);
    CPPUNIT_TEST(unknownAndRouteToMsgCommandsAreDropped);
    CPPUNIT_TEST(heartbeatProducesNothing);
    CPPUNIT_TEST(countersAdvanceByExactAmounts);
    CPPUNIT_TEST_SUITE_END();

public:
    void unknownAndRouteToMsgCommandsAreDropped()
    {
        Harness h;
        auto a = h.attach(1), b = h.attach(2);
        h.route(*a, tttest::statusUpdate(7, kOnline, kWindows));
        clearAll({a, b});
        const CounterSnapshot before(h.counters);
        // Route→msg ids (what we send, never what we accept), and ids nobody defines.
        std::string stream;
        const std::vector<std::pair<std::uint16_t, std::uint16_t>> ignored = {
            {7, 0x070e}, {2, 0x020b}, {2, 0x0203}, {3, 0x0302}, {7, 0x0709}, {0, 0x0000}, {0xFFFF, 0xFFFF}, {2, 0x0201}, {7, 0x0702}};
        for (const auto& [serviceId, commandId] : ignored)
            stream += tttest::makeRawFrame(serviceId, commandId, 3, "\x08\x07");
        // A real LOGIN_STATUS_NOTIFY body must not be mistaken for anything either.
        IM::Server::IMServerPCLoginStatusNotify notify;
        notify.set_user_id(7);
        notify.set_login_status(0);
        stream += tttest::makeFrame(7, 0x070e, 0, notify);
        h.route(*a, stream);
        assertNoneReceived({a, b});
        const CounterSnapshot after(h.counters);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(ignored.size() + 1), after.framesIgnored - before.framesIgnored);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), after.framesRelayed - before.framesRelayed);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), after.bodiesDropped - before.bodiesDropped);
        CPPUNIT_ASSERT_EQUAL(std::string("7=1"), statusOf(h, *a, {7}));
    }

    void heartbeatProducesNothing()
    {
        Harness h;
        auto a = h.attach(1), b = h.attach(2);
        h.route(*a, tttest::heartbeat() + tttest::heartbeat() + tttest::makeRawFrame(7, 0x0701, 9, ""));
        assertNoneReceived({a, b});
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), h.counters.framesIgnored.load());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), h.counters.framesRelayed.load());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(3), h.counters.received.pdus[ttroute::commandSlot(ttroute::CommandId::Heartbeat)].load());
    }

    void countersAdvanceByExactAmounts()
    {
        Harness h(announcedAtOnce());
        auto a = h.attach(1), b = h.attach(2), c = h.attach(3);
        const CounterSnapshot start(h.counters);
        const std::string stream = relayFrame(kMsgData, 1) + relayFrame(kSwitchP2PCmd, 2) + signInfoChanged(3) + // 3 relayed
                                   tttest::heartbeat() +                                                  // nothing
                                   tttest::makeRawFrame(2, 0x0203, 0, "") +                               // ignored
                                   tttest::makeRawFrame(7, 0x0777, 0, "zz") +                             // ignored
                                   tttest::statusUpdate(10, kOnline, kWindows) +                          // 2 notifications
                                   tttest::statusUpdate(11, kOnline, kIos) +                              // none
                                   tttest::statusUpdate(12, 9, kWindows) +                                // dropped
                                   tttest::makeRawFrame(7, 0x0707, 0, "") +                               // dropped
                                   tttest::roleSet(true) +                                                // nothing counted
                                   tttest::onlineUserInfo({{13, kOnline, kMac}}) +                        // none
                                   tttest::statusRequest(1, 1, {10, 11, 12, 13}) +                        // 1 query, 4 ids
                                   tttest::statusRequest(2, 1, {}) +                                      // 1 query, 0 ids
                                   tttest::statusUpdate(10, kOffline, kWindows);                          // 1 notification
        h.route(*a, stream);
        const CounterSnapshot end(h.counters);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(15), end.framesReceived - start.framesReceived);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(stream.size()), end.bytesReceived - start.bytesReceived);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(3), end.framesRelayed - start.framesRelayed);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), end.framesIgnored - start.framesIgnored);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), end.bodiesDropped - start.bodiesDropped);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), end.statusQueries - start.statusQueries);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(4), end.idsQueried - start.idsQueried);
        // Counted once per frame built, not once per peer it goes to.
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(3), end.notificationsSent - start.notificationsSent);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3 + 3), b->frames().size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1 + 3 + 2), a->frames().size());

        // Detach: the announcements count too, once each.
        h.route(*c, tttest::statusUpdate(20, kOnline, kWindows) + tttest::statusUpdate(21, kOnline, kMac));
        const CounterSnapshot beforeDetach(h.counters);
        h.router.detach(*c, true);
        const CounterSnapshot afterDetach(h.counters);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), afterDetach.notificationsSent - beforeDetach.notificationsSent);
        CPPUNIT_ASSERT_EQUAL(beforeDetach.framesReceived, afterDetach.framesReceived);
        CPPUNIT_ASSERT_EQUAL(beforeDetach.framesRelayed, afterDetach.framesRelayed);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RouterCountersTest);
