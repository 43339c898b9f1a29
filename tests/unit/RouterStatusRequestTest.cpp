// Status requests (protocol.md §5): the answer goes to the asker alone, in request order with
// duplicates, attach data copied as it came, capped at route.max_status_query_ids, several in
// one read; and the connection's query buffer kept or freed between reads.
#include "FrameTokens.h"
#include "ProtocolConstants.h"
#include "RecordingPeerChecks.h"
#include "RouterHarness.h"
#include "WireFrames.h"
#include "config/RouteSettings.h"

#include "IM.BaseDefine.pb.h"
#include "IM.Buddy.pb.h"

#include <cppunit/extensions/HelperMacros.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

using ttroute::RouteSettings;
using tttest::assertNoneReceived;
using tttest::clearAll;
using tttest::described;
using tttest::describeFrame;
using tttest::joined;
using tttest::WireFrame;
using namespace tttest::protocol;

using Harness = tttest::RouterHarness;

namespace
{

/// Default settings but `ids` as route.max_status_query_ids.
RouteSettings cappedAt(std::size_t ids)
{
    RouteSettings settings;
    settings.maxStatusQueryIds = ids;
    return settings;
}

} // namespace

class RouterStatusRequestTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(RouterStatusRequestTest);
    CPPUNIT_TEST(statusRequestAnsweredOnlyToSender);
    CPPUNIT_TEST(statusRequestWithoutAttachData);
    CPPUNIT_TEST(statusRequestWithBinaryAttachData);
    CPPUNIT_TEST(emptyStatusRequestGetsEmptyReply);
    CPPUNIT_TEST(statusRequestCappedAtMaxStatusQueryIds);
    CPPUNIT_TEST(statusRequestAtExactlyTheCapIsAnsweredWhole);
    CPPUNIT_TEST(statusRequestDefaultCapIsTenThousand);
    CPPUNIT_TEST(severalStatusRequestsInOneRead);
    CPPUNIT_TEST(scratchKeepsUsualBuffersAndFreesLargeOnes);
    CPPUNIT_TEST_SUITE_END();

public:
    void statusRequestAnsweredOnlyToSender()
    {
        Harness h;
        auto a = h.attach(1), b = h.attach(2), c = h.attach(3);
        h.route(*b, tttest::onlineUserInfo({{10, kOnline, kWindows}, {11, kOnline, kIos}, {12, kLeave, kMac}, {13, kOnline, kAndroid}}));
        h.route(*c, tttest::onlineUserInfo({{13, kOnline, kMac}}));
        const std::string attach = "opaque attach";
        h.route(*a, tttest::statusRequest(0xBEEF, 777, {12, 10, 10, 99, 11, 10, 13, 0, 12, 12}, &attach));
        assertNoneReceived({b, c});
        const auto frames = a->frames();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), frames.size());
        const WireFrame& reply = frames[0];
        CPPUNIT_ASSERT_EQUAL(std::uint16_t(2), reply.serviceId);
        CPPUNIT_ASSERT_EQUAL(std::uint16_t(0x020b), reply.commandId);
        CPPUNIT_ASSERT_EQUAL(std::uint16_t(0xBEEF), reply.seqNum);
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(reply.bytes.size()), reply.length);
        IM::Buddy::IMUsersStatRsp response;
        CPPUNIT_ASSERT(reply.parse(response));
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(777), response.user_id());
        CPPUNIT_ASSERT(response.has_attach_data());
        CPPUNIT_ASSERT_EQUAL(attach, response.attach_data());
        // Request order, duplicates kept; unknown and mobile-only read OFFLINE, LEAVE on a PC reads ONLINE.
        const std::vector<std::pair<std::uint32_t, std::uint32_t>> expected = {
            {12, kOnline}, {10, kOnline}, {10, kOnline}, {99, kOffline}, {11, kOffline},
            {10, kOnline}, {13, kOnline},  {0, kOffline}, {12, kOnline},  {12, kOnline}};
        CPPUNIT_ASSERT_EQUAL(int(expected.size()), response.user_stat_list_size());
        for (int i = 0; i < response.user_stat_list_size(); ++i)
        {
            CPPUNIT_ASSERT_EQUAL(expected[i].first, response.user_stat_list(i).user_id());
            CPPUNIT_ASSERT_EQUAL_MESSAGE("entry " + std::to_string(i), expected[i].second,
                                         std::uint32_t(response.user_stat_list(i).status()));
        }
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), h.counters.statusQueries.load());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(10), h.counters.idsQueried.load());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), h.counters.notificationsSent.load());
    }

    void statusRequestWithoutAttachData()
    {
        Harness h;
        auto a = h.attach(1);
        h.route(*a, tttest::statusRequest(5, 9, {1}));
        const auto frames = a->frames();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), frames.size());
        IM::Buddy::IMUsersStatRsp response;
        CPPUNIT_ASSERT(frames[0].parse(response));
        CPPUNIT_ASSERT(!response.has_attach_data());
        CPPUNIT_ASSERT_EQUAL(std::string("2/020b seq=5 user=9 [ 1=2 ]"), describeFrame(frames[0]));
    }

    void statusRequestWithBinaryAttachData()
    {
        Harness h;
        auto a = h.attach(1);
        std::string attach(300, '\0');
        for (std::size_t i = 0; i < attach.size(); ++i)
            attach[i] = static_cast<char>(i * 37);
        h.route(*a, tttest::statusRequest(6, 9, {1, 2}, &attach));
        const std::string emptyAttach;
        h.route(*a, tttest::statusRequest(7, 9, {3}, &emptyAttach));
        const auto frames = a->frames();
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), frames.size());
        IM::Buddy::IMUsersStatRsp first, second;
        CPPUNIT_ASSERT(frames[0].parse(first));
        CPPUNIT_ASSERT(frames[1].parse(second));
        CPPUNIT_ASSERT(attach == first.attach_data());
        // Present but empty is still present: copied unchanged.
        CPPUNIT_ASSERT(second.has_attach_data());
        CPPUNIT_ASSERT(second.attach_data().empty());
    }

    void emptyStatusRequestGetsEmptyReply()
    {
        Harness h;
        auto a = h.attach(1), b = h.attach(2);
        h.route(*a, tttest::onlineUserInfo({{1, kOnline, kWindows}}));
        const std::string attach = "x";
        h.route(*a, tttest::statusRequest(31, 555, {}, &attach));
        CPPUNIT_ASSERT_EQUAL(std::string("2/020b seq=31 user=555 [ ] attach=x"), described(*a));
        CPPUNIT_ASSERT(!b->received());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), h.counters.statusQueries.load());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), h.counters.idsQueried.load());
    }

    void statusRequestCappedAtMaxStatusQueryIds()
    {
        Harness h(cappedAt(3));
        auto a = h.attach(1);
        h.route(*a, tttest::onlineUserInfo({{1, kOnline, kWindows}, {3, kOnline, kWindows}, {4, kOnline, kWindows}}));
        const std::string attach = "att";
        h.route(*a, tttest::statusRequest(8, 9, {4, 2, 3, 1, 4, 5}, &attach));
        CPPUNIT_ASSERT_EQUAL(std::string("2/020b seq=8 user=9 [ 4=1 2=2 3=1 ] attach=att"), described(*a));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), h.counters.statusQueries.load());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(3), h.counters.idsQueried.load());
    }

    void statusRequestAtExactlyTheCapIsAnsweredWhole()
    {
        Harness h(cappedAt(3));
        auto a = h.attach(1);
        h.route(*a, tttest::statusRequest(8, 9, {7, 8, 7}) + tttest::statusRequest(9, 9, {1, 2}));
        CPPUNIT_ASSERT_EQUAL(joined({"2/020b seq=8 user=9 [ 7=2 8=2 7=2 ]", "2/020b seq=9 user=9 [ 1=2 2=2 ]"}), described(*a));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(5), h.counters.idsQueried.load());
    }

    void statusRequestDefaultCapIsTenThousand()
    {
        Harness h;
        auto a = h.attach(1);
        h.route(*a, tttest::onlineUserInfo({{10000, kOnline, kWindows}, {10001, kOnline, kWindows}}));
        std::vector<std::uint32_t> ids;
        for (std::uint32_t id = 1; id <= 10001; ++id)
            ids.push_back(id);
        h.route(*a, tttest::statusRequest(3, 9, ids));
        const auto frames = a->frames();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), frames.size());
        IM::Buddy::IMUsersStatRsp response;
        CPPUNIT_ASSERT(frames[0].parse(response));
        CPPUNIT_ASSERT_EQUAL(10000, response.user_stat_list_size());
        for (int i = 0; i < response.user_stat_list_size(); ++i)
            CPPUNIT_ASSERT_EQUAL(std::uint32_t(i + 1), response.user_stat_list(i).user_id());
        CPPUNIT_ASSERT_EQUAL(IM::BaseDefine::USER_STATUS_ONLINE, response.user_stat_list(9999).status());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(10000), h.counters.idsQueried.load());
    }

    void severalStatusRequestsInOneRead()
    {
        Harness h;
        auto a = h.attach(1), b = h.attach(2);
        h.route(*b, tttest::statusUpdate(50, kOnline, kWindows));
        clearAll({a, b});
        h.route(*a, tttest::statusRequest(1, 9, {50}) + tttest::statusRequest(2, 9, {51}) + tttest::statusRequest(3, 8, {50, 51}));
        CPPUNIT_ASSERT_EQUAL(joined({"2/020b seq=1 user=9 [ 50=1 ]", "2/020b seq=2 user=9 [ 51=2 ]",
                                     "2/020b seq=3 user=8 [ 50=1 51=2 ]"}),
                             described(*a));
        CPPUNIT_ASSERT(!b->received());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(3), h.counters.statusQueries.load());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(4), h.counters.idsQueried.load());
    }

    void scratchKeepsUsualBuffersAndFreesLargeOnes()
    {
        // A connection keeps its query buffer from read to read, unless one rare read grew it
        // large: then it goes, and the next usual query grows a small one again.
        Harness h;
        auto a = h.attach(1);
        h.route(*a, tttest::statusRequest(1, 9, {1, 2, 3}));
        const std::size_t usual = a->scratch.query.bufferBytes();
        CPPUNIT_ASSERT(usual > 0);
        h.route(*a, tttest::statusRequest(2, 9, {4, 5}));
        CPPUNIT_ASSERT_EQUAL(usual, a->scratch.query.bufferBytes());
        h.route(*a, tttest::statusRequest(3, 9, std::vector<std::uint32_t>(100000, 7)));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), a->scratch.query.bufferBytes());
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), a->scratch.online.capacity());
        h.route(*a, tttest::statusRequest(4, 9, {1}));
        CPPUNIT_ASSERT(a->scratch.query.bufferBytes() > 0);
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), a->frames().size());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RouterStatusRequestTest);
