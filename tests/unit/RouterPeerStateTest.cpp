// What a msg server tells the router of itself: ONLINE_USER_INFO applied silently as the
// sender's presence, however large and wherever it stands in a read, and ROLE_SET recorded
// without changing where anything goes.
#include "FrameTokens.h"
#include "ProtocolConstants.h"
#include "RecordingPeerChecks.h"
#include "RelayedToOthers.h"
#include "RouterHarness.h"
#include "RouterStatusQuery.h"
#include "WireFrames.h"

#include "IM.Server.pb.h"

#include <cppunit/extensions/HelperMacros.h>

#include <cstdint>
#include <string>
#include <vector>

using routertest::relayFrame;
using tttest::assertNoneReceived;
using tttest::described;
using tttest::statusOf;
using namespace tttest::protocol;

using Harness = tttest::RouterHarness;

class RouterPeerStateTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(RouterPeerStateTest);
    CPPUNIT_TEST(onlineUserInfoAppliesEntriesSilently);
    CPPUNIT_TEST(onlineUserInfoBelongsToSender);
    CPPUNIT_TEST(onlineUserInfoBetweenRelays);
    CPPUNIT_TEST(largeOnlineUserInfoAppliesEveryEntryInOrder);
    CPPUNIT_TEST(roleSetRecordsTheRole);
    CPPUNIT_TEST_SUITE_END();

public:
    void onlineUserInfoAppliesEntriesSilently()
    {
        Harness h;
        auto a = h.attach(1), b = h.attach(2);
        h.route(*a, tttest::onlineUserInfo({{1, kOnline, kWindows},
                                            {2, kOnline, kIos},
                                            {3, kLeave, kMac},
                                            {4, kOnline, kWindows},
                                            {4, kOnline, kWindows},
                                            {4, kOffline, kWindows},
                                            {5, kOffline, kWindows},
                                            {6, kOnline, kAndroid},
                                            {6, kOnline, kWindows}}));
        assertNoneReceived({a, b});
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), h.counters.notificationsSent.load());
        CPPUNIT_ASSERT_EQUAL(std::string("1=1 2=2 3=1 4=1 5=2 6=1"), statusOf(h, *b, {1, 2, 3, 4, 5, 6}));
        const auto logins4 = h.presence.loginsOf(4);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), logins4.size());
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(1), logins4[0].count);
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(1), logins4[0].connection);

        // An empty list is valid and changes nothing.
        h.route(*a, tttest::onlineUserInfo({}));
        CPPUNIT_ASSERT(!a->received());
        CPPUNIT_ASSERT_EQUAL(std::size_t(5), h.presence.userCount());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), h.counters.bodiesDropped.load());
    }

    void onlineUserInfoBelongsToSender()
    {
        Harness h;
        auto a = h.attach(1), b = h.attach(2), c = h.attach(3);
        h.route(*a, tttest::onlineUserInfo({{1, kOnline, kWindows}, {2, kOnline, kWindows}}));
        h.route(*b, tttest::onlineUserInfo({{2, kOnline, kMac}}));
        h.router.detach(*a, false);
        CPPUNIT_ASSERT_EQUAL(std::string("1=2 2=1"), statusOf(h, *c, {1, 2}));
        CPPUNIT_ASSERT(!b->received());
    }

    void onlineUserInfoBetweenRelays()
    {
        Harness h;
        auto a = h.attach(1), b = h.attach(2);
        const std::string r1 = relayFrame(kMsgData, 1), r2 = relayFrame(kMsgData, 2);
        h.route(*a, r1 + tttest::onlineUserInfo({{7, kOnline, kWindows}}) + r2 + tttest::statusRequest(3, 9, {7}));
        CPPUNIT_ASSERT(r1 + r2 == b->bytes());
        CPPUNIT_ASSERT_EQUAL(std::string("2/020b seq=3 user=9 [ 7=1 ]"), described(*a));
    }

    void largeOnlineUserInfoAppliesEveryEntryInOrder()
    {
        // Ten thousand entries are applied in several holds of the presence lock: every one
        // counts, in order (user 1's OFFLINE at the end undoes its first entry), and the
        // relays around the frame keep their places.
        Harness h;
        auto a = h.attach(1), b = h.attach(2);
        std::vector<std::vector<std::uint32_t>> entries;
        for (std::uint32_t user = 1; user <= 10000; ++user)
            entries.push_back({user, user % 2 ? kOnline : kOffline, kWindows});
        entries.push_back({1, kOffline, kWindows});
        const std::string r1 = relayFrame(kMsgData, 1), r2 = relayFrame(kMsgData, 2);
        h.route(*a, r1 + tttest::onlineUserInfo(entries) + r2);
        CPPUNIT_ASSERT(r1 + r2 == b->bytes());
        CPPUNIT_ASSERT_EQUAL(std::size_t(4999), h.presence.userCount());
        CPPUNIT_ASSERT_EQUAL(std::size_t(4999), h.presence.usersHostedBy(1));
        CPPUNIT_ASSERT_EQUAL(std::string("1=2 2=2 3=1 4095=1 4097=1 8193=1 9999=1 10000=2"),
                             statusOf(h, *b, {1, 2, 3, 4095, 4097, 8193, 9999, 10000}));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), h.counters.notificationsSent.load());
    }

    void roleSetRecordsTheRole()
    {
        Harness h;
        auto a = h.attach(1), b = h.attach(2);
        IM::Server::IMRoleSet odd;
        odd.set_master(5);
        CPPUNIT_ASSERT(ttroute::PeerRole::Unknown == a->role());
        h.route(*a, tttest::roleSet(true));
        CPPUNIT_ASSERT(ttroute::PeerRole::Master == a->role());
        h.route(*a, tttest::roleSet(false));
        CPPUNIT_ASSERT(ttroute::PeerRole::Slave == a->role());
        h.route(*a, tttest::makeFrame(7, 0x0707, 0, odd));
        CPPUNIT_ASSERT(ttroute::PeerRole::Master == a->role());
        h.route(*b, tttest::roleSet(false));
        CPPUNIT_ASSERT(ttroute::PeerRole::Slave == b->role());
        assertNoneReceived({a, b});
        // Routing does not change with the role.
        const std::string relay = relayFrame(kMsgData, 1);
        h.route(*b, relay);
        CPPUNIT_ASSERT(relay == a->bytes());
        CPPUNIT_ASSERT(!b->received());
        CPPUNIT_ASSERT_EQUAL(0, a->closeCalls() + b->closeCalls());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), h.counters.framesIgnored.load());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), h.counters.bodiesDropped.load());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RouterPeerStateTest);
