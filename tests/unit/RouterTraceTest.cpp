// The router's trace lines (protocol.md §4–§6 as an operator reads them): with a trace on a
// user, every PDU that concerns them gets one line saying which msg server sent it and what
// became of it — relayed to whom in either relay mode, dropped and why, applied and
// announced or not, answered with what — while routing stays byte for byte what it is
// without a trace, and PDUs of other users make no line.
#include "ProtocolConstants.h"
#include "RecordingPeer.h"
#include "RecordingPeerChecks.h"
#include "RelayedFrames.h"
#include "RouterHarness.h"
#include "WireFrames.h"

#include <cppunit/extensions/HelperMacros.h>

using ttroute::RelayMode;
using ttroute::RouteSettings;
using tttest::RecordingPeer;
using tttest::RouterHarness;
using namespace tttest::protocol;
using namespace std::chrono_literals;

namespace
{

constexpr std::uint32_t kAlice = 1001;
constexpr std::uint32_t kBob = 1002;
constexpr std::uint32_t kCarol = 1003; ///< never traced

/// Default settings but `mode` as route.relay.mode and `viaMaster` as route.announce_via_master.
RouteSettings settings(RelayMode mode, bool viaMaster = false)
{
    RouteSettings s;
    s.relayMode = mode;
    s.announceViaMaster = viaMaster;
    return s;
}

/// The part of a trace line after its time stamp.
std::string withoutTime(const std::string& line)
{
    const std::size_t space = line.find(' ');
    CPPUNIT_ASSERT_MESSAGE(line, space == 24 && line[23] == 'Z');
    return line.substr(space + 1);
}

/// A harness with peers #1 (Alice, Windows), #2 (Bob, Android) and #3 (nobody), and a trace of
/// `followed` started after they registered.
struct World
{
    explicit World(RelayMode mode, std::vector<std::uint32_t> followed = {kAlice}, bool viaMaster = false)
        : harness(settings(mode, viaMaster))
        , p1(harness.attach(1))
        , p2(harness.attach(2))
        , p3(harness.attach(3))
    {
        harness.route(*p1, tttest::statusUpdate(kAlice, kOnline, kWindows));
        harness.route(*p2, tttest::statusUpdate(kBob, kOnline, kAndroid) + tttest::statusUpdate(kCarol, kOnline, kWindows));
        tttest::clearAll({p1, p2, p3});
        trace = harness.tracer.start(std::move(followed), 1min);
    }

    /// The lines the trace holds now.
    std::vector<std::string> lines()
    {
        std::vector<std::string> taken;
        trace->take(taken, std::chrono::steady_clock::now());
        return taken;
    }

    /// The one line the trace holds now, after its time stamp; fails unless there is exactly one.
    std::string onlyLine()
    {
        const std::vector<std::string> taken = lines();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), taken.size());
        return withoutTime(taken[0]);
    }

    /// The router.
    RouterHarness harness;
    /// Msg servers #1, #2 and #3.
    std::shared_ptr<RecordingPeer> p1, p2, p3;
    /// The trace of the followed users; reset() ends it.
    std::shared_ptr<ttroute::TraceSubscription> trace;
};

/// The size of `frame` as a trace line gives it.
std::string size(const std::string& frame)
{
    return std::to_string(frame.size()) + " bytes";
}

} // namespace

class RouterTraceTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(RouterTraceTest);
    CPPUNIT_TEST(broadcastRelayNamesEveryOtherMsgServer);
    CPPUNIT_TEST(targetedRelayNamesTheHostsOrWhyNobody);
    CPPUNIT_TEST(signInfoGoesBackToItsSenderToo);
    CPPUNIT_TEST(statusUpdatesSayWhetherTheyWereAnnounced);
    CPPUNIT_TEST(statusQueriesShowTheAnswersForFollowedUsers);
    CPPUNIT_TEST(droppedBodiesSayWhy);
    CPPUNIT_TEST(otherUsersMakeNoLineAndRoutingIsUnchanged);
    CPPUNIT_TEST(anEndedTraceHearsNothingMore);
    CPPUNIT_TEST_SUITE_END();

public:
    void broadcastRelayNamesEveryOtherMsgServer()
    {
        World world(RelayMode::Broadcast);
        const std::string frame = tttest::msgData(kAlice, kBob, 7, "hello bob");
        world.harness.route(*world.p1, frame);
        CPPUNIT_ASSERT_EQUAL("MSG_DATA from 1001 to 1002 msg_id 7, " + size(frame) + ", from peer #1: relayed to 2 msg servers: peer #2, peer #3",
                             world.onlyLine());
    }

    void targetedRelayNamesTheHostsOrWhyNobody()
    {
        World world(RelayMode::Targeted, {kAlice, 4242});
        const std::string toBob = tttest::msgData(kAlice, kBob, 8, "hi");
        const std::string toNobody = tttest::p2p(kAlice, 4242, 1);
        world.harness.route(*world.p1, toBob + toNobody);
        const auto lines = world.lines();
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), lines.size());
        CPPUNIT_ASSERT_EQUAL("MSG_DATA from 1001 to 1002 msg_id 8, " + size(toBob) + ", from peer #1: relayed (targeted) to 1 msg server: peer #2",
                             withoutTime(lines[0]));
        CPPUNIT_ASSERT_EQUAL("SWITCH_P2P_CMD from 1001 to 4242, " + size(toNobody) +
                                 ", from peer #1: dropped: no other msg server hosts its users (route.relay.mode = targeted)",
                             withoutTime(lines[1]));
        CPPUNIT_ASSERT_EQUAL(toBob, world.p2->bytes());
        CPPUNIT_ASSERT(!world.p3->received());
    }

    void signInfoGoesBackToItsSenderToo()
    {
        World world(RelayMode::Targeted);
        const std::string frame = tttest::signInfo(kAlice, 1);
        world.harness.route(*world.p1, frame);
        CPPUNIT_ASSERT_EQUAL("SIGN_INFO_CHANGED_NOTIFY user 1001, " + size(frame) +
                                 ", from peer #1: relayed to 3 msg servers: peer #1, peer #2, peer #3",
                             world.onlyLine());
    }

    void statusUpdatesSayWhetherTheyWereAnnounced()
    {
        World world(RelayMode::Broadcast, {kAlice}, true);
        // A second PC login is announced; the first PC going offline while the second stays is not.
        const std::string second = tttest::statusUpdate(kAlice, kOnline, kMac);
        const std::string offline = tttest::statusUpdate(kAlice, kOffline, kWindows);
        world.harness.route(*world.p1, second + offline);
        world.harness.route(*world.p3, tttest::roleSet(false) + tttest::statusUpdate(kAlice, kOnline, kIos));
        const auto lines = world.lines();
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), lines.size());
        CPPUNIT_ASSERT_EQUAL("USER_STATUS_UPDATE user 1001 online mac, " + size(second) +
                                 ", from peer #1: applied; announced to every msg server (2 notifications)",
                             withoutTime(lines[0]));
        CPPUNIT_ASSERT_EQUAL("USER_STATUS_UPDATE user 1001 offline windows, " + size(offline) + ", from peer #1: applied; nothing to announce",
                             withoutTime(lines[1]));
        CPPUNIT_ASSERT(withoutTime(lines[2]).find(", from peer #3: applied; not announced here: its msg server calls another route server master") !=
                       std::string::npos);
    }

    void statusQueriesShowTheAnswersForFollowedUsers()
    {
        World world(RelayMode::Broadcast, {kAlice, 4242});
        const std::string query = tttest::statusRequest(5, kCarol, {kBob, kAlice, 4242});
        world.harness.route(*world.p2, query);
        CPPUNIT_ASSERT_EQUAL("USERS_STATUS_REQUEST from 1003 asks 3 ids, " + size(query) +
                                 ", from peer #2: answered 3 ids: 1001 online, 4242 offline",
                             world.onlyLine());
    }

    void droppedBodiesSayWhy()
    {
        World world(RelayMode::Broadcast);
        // user_status and user_id, but no client_type: the parser rejects it.
        const std::string broken = tttest::makeRawFrame(7, 0x070a, 0, std::string("\x08\x01\x10\xe9\x07", 5));
        world.harness.route(*world.p1, broken);
        CPPUNIT_ASSERT_EQUAL("USER_STATUS_UPDATE user 1001 online other, " + size(broken) +
                                 ", from peer #1: dropped: the body is not a valid message",
                             world.onlyLine());
    }

    void otherUsersMakeNoLineAndRoutingIsUnchanged()
    {
        World traced(RelayMode::Broadcast);
        World untraced(RelayMode::Broadcast, {});
        untraced.trace.reset();
        const std::string stream = tttest::msgData(kBob, kCarol, 1, "not alice") + tttest::msgData(kAlice, kCarol, 2, "alice") +
                                   tttest::statusRequest(1, kBob, {kCarol, kAlice});
        traced.harness.route(*traced.p2, stream);
        untraced.harness.route(*untraced.p2, stream);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), traced.lines().size());
        for (auto [a, b] : {std::pair(traced.p1, untraced.p1), std::pair(traced.p2, untraced.p2), std::pair(traced.p3, untraced.p3)})
            CPPUNIT_ASSERT(a->bytes() == b->bytes());
    }

    void anEndedTraceHearsNothingMore()
    {
        World world(RelayMode::Broadcast);
        world.trace.reset();
        CPPUNIT_ASSERT(!world.harness.tracer.active());
        world.harness.route(*world.p1, tttest::msgData(kAlice, kBob, 1, "unseen"));
        world.trace = world.harness.tracer.start({kAlice}, 1min);
        CPPUNIT_ASSERT(world.lines().empty());
        world.harness.route(*world.p1, tttest::msgData(kAlice, kBob, 2, "seen"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), world.lines().size());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RouterTraceTest);
