// Bodies the router must understand but cannot (protocol.md §5, §7): an invalid status, or a
// status update, ONLINE_USER_INFO, status request or ROLE_SET that does not parse, is dropped
// and counted, and the frames around it are routed as ever.
#include "FrameTokens.h"
#include "ProtocolConstants.h"
#include "RecordingPeerChecks.h"
#include "RelayedToOthers.h"
#include "RouterHarness.h"
#include "WireFrames.h"

#include "IM.BaseDefine.pb.h"
#include "IM.Buddy.pb.h"
#include "IM.Server.pb.h"

#include <cppunit/extensions/HelperMacros.h>

#include <cstdint>
#include <string>

using routertest::relayFrame;
using tttest::assertEachReceived;
using tttest::buddyNotify;
using tttest::described;
using tttest::joined;
using tttest::loginNotify;
using namespace tttest::protocol;

using Harness = tttest::RouterHarness;

class RouterBadBodyTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(RouterBadBodyTest);
    CPPUNIT_TEST(invalidUserStatusIsDropped);
    CPPUNIT_TEST(unparsableStatusUpdateIsDropped);
    CPPUNIT_TEST(unparsableOnlineUserInfoIsDropped);
    CPPUNIT_TEST(unparsableStatusRequestIsDropped);
    CPPUNIT_TEST(unparsableRoleSetIsDropped);
    CPPUNIT_TEST_SUITE_END();

public:
    void invalidUserStatusIsDropped()
    {
        Harness h;
        auto a = h.attach(1), b = h.attach(2);
        const std::string relay = relayFrame(kMsgData, 1);
        h.route(*a, tttest::statusUpdate(100, 7, kWindows) + tttest::statusUpdate(101, 0, kWindows) + relay +
                        tttest::statusRequest(4, 9, {100, 101}));
        CPPUNIT_ASSERT(relay == b->bytes());
        CPPUNIT_ASSERT_EQUAL(std::string("2/020b seq=4 user=9 [ 100=2 101=2 ]"), described(*a));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), h.presence.userCount());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), h.counters.bodiesDropped.load());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), h.counters.notificationsSent.load());
    }

    void unparsableStatusUpdateIsDropped()
    {
        Harness h;
        auto a = h.attach(1), b = h.attach(2);
        IM::Server::IMUserStatusUpdate partial; // no client_type: a required field missing
        partial.set_user_id(100);
        partial.set_user_status(kOnline);
        const std::string bad = tttest::makeRawFrame(7, 0x070a, 0, std::string("\x08\xFF", 2)) +        // truncated varint
                                tttest::makeRawFrame(7, 0x070a, 0, "") +                                   // nothing at all
                                tttest::makeRawFrame(7, 0x070a, 0, partial.SerializePartialAsString()) +   // incomplete
                                tttest::makeRawFrame(7, 0x070a, 0, tttest::statusUpdate(100, kOnline, kWindows).substr(16, 3)) + // cut short
                                // client_type 5 is no ClientType: the required enum field reads as missing.
                                tttest::makeRawFrame(7, 0x070a, 0, std::string("\x08\x01\x10\x64\x18\x05", 6));
        const std::string good = tttest::statusUpdate(200, kOnline, kWindows);
        h.route(*a, bad + good);
        const std::string expected = joined({loginNotify(200, 1), buddyNotify(200, kOnline)});
        assertEachReceived(expected, {a, b});
        CPPUNIT_ASSERT(h.presence.loginsOf(100).empty());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(5), h.counters.bodiesDropped.load());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), h.counters.notificationsSent.load());
    }

    void unparsableOnlineUserInfoIsDropped()
    {
        Harness h;
        auto a = h.attach(1), b = h.attach(2);
        IM::Server::IMOnlineUserInfo partial; // one good entry, one without client_type
        auto* good = partial.add_user_stat_list();
        good->set_user_id(100);
        good->set_status(IM::BaseDefine::USER_STATUS_ONLINE);
        good->set_client_type(IM::BaseDefine::CLIENT_TYPE_WINDOWS);
        auto* incomplete = partial.add_user_stat_list();
        incomplete->set_user_id(101);
        incomplete->set_status(IM::BaseDefine::USER_STATUS_ONLINE);
        const std::string relay = relayFrame(kMsgReadNotify, 3);
        h.route(*a, tttest::makeRawFrame(7, 0x0708, 0, std::string("\x0A\x09\x08", 3)) +
                        tttest::makeRawFrame(7, 0x0708, 0, partial.SerializePartialAsString()) + relay +
                        tttest::statusRequest(2, 9, {100, 101}));
        CPPUNIT_ASSERT(relay == b->bytes());
        CPPUNIT_ASSERT_EQUAL(std::string("2/020b seq=2 user=9 [ 100=2 101=2 ]"), described(*a));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), h.presence.userCount());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), h.counters.bodiesDropped.load());
    }

    void unparsableStatusRequestIsDropped()
    {
        Harness h;
        auto a = h.attach(1), b = h.attach(2);
        IM::Buddy::IMUsersStatReq partial; // no user_id
        partial.add_user_id_list(1);
        h.route(*a, tttest::makeRawFrame(2, 0x020a, 1, "") + tttest::makeRawFrame(2, 0x020a, 2, std::string("\x12\x05\x01", 3)) +
                        tttest::makeRawFrame(2, 0x020a, 3, partial.SerializePartialAsString()) + tttest::statusRequest(4, 9, {1}));
        CPPUNIT_ASSERT_EQUAL(std::string("2/020b seq=4 user=9 [ 1=2 ]"), described(*a));
        CPPUNIT_ASSERT(!b->received());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(3), h.counters.bodiesDropped.load());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), h.counters.statusQueries.load());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), h.counters.idsQueried.load());
    }

    void unparsableRoleSetIsDropped()
    {
        Harness h;
        auto a = h.attach(1), b = h.attach(2);
        const std::string relay = relayFrame(kSwitchP2PCmd, 8);
        h.route(*a, tttest::makeRawFrame(7, 0x0707, 0, "") + tttest::makeRawFrame(7, 0x0707, 0, "\x08") + relay + tttest::roleSet(true));
        CPPUNIT_ASSERT(relay == b->bytes());
        CPPUNIT_ASSERT(!a->received());
        CPPUNIT_ASSERT(ttroute::PeerRole::Master == a->role());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), h.counters.bodiesDropped.load());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RouterBadBodyTest);
