// The notification rules after status updates (protocol.md §5), without sockets: two recording
// peers stand in for msg servers. Which PC and mobile logins and logoffs, LEAVE among them,
// make the router tell every msg server what, and what the router answers for the user then.
#include "FrameTokens.h"
#include "ProtocolConstants.h"
#include "RecordingPeer.h"
#include "RecordingPeerChecks.h"
#include "RouterHarness.h"
#include "RouterStatusQuery.h"
#include "WireFrames.h"

#include <cppunit/extensions/HelperMacros.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

using tttest::assertEachReceived;
using tttest::buddyNotify;
using tttest::clearAll;
using tttest::joined;
using tttest::loginNotify;
using tttest::RecordingPeer;
using tttest::statusOf;
using tttest::statusUpdate;
using namespace tttest::protocol;

/// Msg servers a and b on a router with the default settings; each test logs users in and out.
class RouterStatusUpdateTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(RouterStatusUpdateTest);
    CPPUNIT_TEST(pcLoginNotifiesOnline);
    CPPUNIT_TEST(secondPcLoginStillNotifiesOnline);
    CPPUNIT_TEST(pcLogoffWithAnotherPcLeftSendsNothing);
    CPPUNIT_TEST(lastPcLogoffWithMobileLeft);
    CPPUNIT_TEST(lastPcLogoffWithNothingLeft);
    CPPUNIT_TEST(mobileLoginWithoutPc);
    CPPUNIT_TEST(mobileLoginWithPcOnline);
    CPPUNIT_TEST(mobileLogoff);
    CPPUNIT_TEST(leaveStatus);
    CPPUNIT_TEST(pcOfflineForUnknownUser);
    CPPUNIT_TEST(pcOfflineFromPeerNotHostingUser);
    CPPUNIT_TEST_SUITE_END();

public:
    void pcLoginNotifiesOnline()
    {
        auto c = h.attach(3);
        h.route(*b, statusUpdate(100, kOnline, kWindows));
        assertEachReceived(joined({loginNotify(100, 1), buddyNotify(100, kOnline)}), {a, b, c});
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), h.counters.notificationsSent.load());
        CPPUNIT_ASSERT_EQUAL(std::string("100=1"), statusOf(h, *a, {100}));
    }

    void secondPcLoginStillNotifiesOnline()
    {
        const std::vector<std::string> online = {loginNotify(100, 1), buddyNotify(100, kOnline)};
        h.route(*a, statusUpdate(100, kOnline, kWindows));
        assertUpdateNotifies(*a, statusUpdate(100, kOnline, kWindows), online);
        assertUpdateNotifies(*b, statusUpdate(100, kOnline, kMac), online);
    }

    void pcLogoffWithAnotherPcLeftSendsNothing()
    {
        // Step 1 needs no PC login left; step 2 is suppressed while one is left.
        h.route(*a, statusUpdate(100, kOnline, kWindows) + statusUpdate(100, kOnline, kWindows));
        h.route(*b, statusUpdate(100, kOnline, kMac));
        assertUpdateNotifies(*a, statusUpdate(100, kOffline, kWindows), {}); // one of two on this connection
        assertUpdateNotifies(*a, statusUpdate(100, kOffline, kWindows), {}); // Mac on b left
        CPPUNIT_ASSERT_EQUAL(std::string("100=1"), statusOf(h, *a, {100}));
    }

    void lastPcLogoffWithMobileLeft()
    {
        h.route(*a, statusUpdate(100, kOnline, kWindows));
        h.route(*b, statusUpdate(100, kOnline, kAndroid));
        assertUpdateNotifies(*a, statusUpdate(100, kOffline, kWindows), {loginNotify(100, 0), buddyNotify(100, kOffline)});
        CPPUNIT_ASSERT_EQUAL(std::string("100=2"), statusOf(h, *a, {100}));
    }

    void lastPcLogoffWithNothingLeft()
    {
        h.route(*a, statusUpdate(100, kOnline, kMac));
        assertUpdateNotifies(*a, statusUpdate(100, kOffline, kMac), {buddyNotify(100, kOffline)});
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), h.presence.userCount());
    }

    void mobileLoginWithoutPc()
    {
        assertUpdateNotifies(*a, statusUpdate(100, kOnline, kIos), {});
        assertUpdateNotifies(*b, statusUpdate(100, kOnline, kAndroid), {});
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), h.counters.notificationsSent.load());
        CPPUNIT_ASSERT_EQUAL(std::string("100=2"), statusOf(h, *a, {100}));
    }

    void mobileLoginWithPcOnline()
    {
        h.route(*a, statusUpdate(100, kOnline, kWindows));
        assertUpdateNotifies(*b, statusUpdate(100, kOnline, kIos), {loginNotify(100, 1)});
    }

    void mobileLogoff()
    {
        // With a PC online elsewhere.
        h.route(*a, statusUpdate(100, kOnline, kWindows));
        h.route(*b, statusUpdate(100, kOnline, kIos));
        // Mobile only.
        h.route(*b, statusUpdate(200, kOnline, kAndroid) + statusUpdate(200, kOnline, kIos));
        assertUpdateNotifies(*b, statusUpdate(100, kOffline, kIos), {});
        assertUpdateNotifies(*b, statusUpdate(200, kOffline, kAndroid), {});
        assertUpdateNotifies(*b, statusUpdate(200, kOffline, kIos), {});
        assertUpdateNotifies(*b, statusUpdate(300, kOffline, kIos), {}); // unknown user
        CPPUNIT_ASSERT_EQUAL(std::string("100=1 200=2"), statusOf(h, *a, {100, 200}));
        CPPUNIT_ASSERT(h.presence.loginsOf(200).empty());
    }

    void leaveStatus()
    {
        assertUpdateNotifies(*a, statusUpdate(100, kLeave, kWindows), {loginNotify(100, 1), buddyNotify(100, kLeave)});
        CPPUNIT_ASSERT_EQUAL(std::string("100=1"), statusOf(h, *b, {100}));

        // Mobile LEAVE: a login like any other, notified only because a PC is on.
        assertUpdateNotifies(*b, statusUpdate(100, kLeave, kIos), {loginNotify(100, 1)});
        assertUpdateNotifies(*b, statusUpdate(300, kLeave, kAndroid), {});

        // LEAVE counted as a login: one OFFLINE releases it.
        assertUpdateNotifies(*a, statusUpdate(100, kOffline, kWindows), {loginNotify(100, 0), buddyNotify(100, kOffline)});
    }

    void pcOfflineForUnknownUser()
    {
        assertUpdateNotifies(*a, statusUpdate(100, kOffline, kWindows), {buddyNotify(100, kOffline)});
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), h.presence.userCount());
    }

    void pcOfflineFromPeerNotHostingUser()
    {
        h.route(*a, statusUpdate(100, kOnline, kWindows));
        h.route(*a, statusUpdate(200, kOnline, kIos));
        // b hosts neither: presence does not change. 100 still has a PC login: nothing to say.
        assertUpdateNotifies(*b, statusUpdate(100, kOffline, kWindows), {});
        // 200 is known (mobile) with no PC anywhere: §5 step 1 and 2 both apply as written.
        assertUpdateNotifies(*b, statusUpdate(200, kOffline, kMac), {loginNotify(200, 0), buddyNotify(200, kOffline)});
        CPPUNIT_ASSERT_EQUAL(std::string("100=1 200=2"), statusOf(h, *a, {100, 200}));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), h.presence.loginsOf(200).size());
    }

private:
    /// Routes `update` from `from` with a's and b's recordings cleared first, and asserts that
    /// each of them received exactly the notifications `expected` names (tokens, see
    /// FrameTokens.h), which the router counted once each, not once per peer.
    void assertUpdateNotifies(RecordingPeer& from, const std::string& update, const std::vector<std::string>& expected)
    {
        clearAll({a, b});
        const std::uint64_t before = h.counters.notificationsSent.load();
        h.route(from, update);
        assertEachReceived(joined(expected), {a, b});
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(expected.size()), h.counters.notificationsSent.load() - before);
    }

    /// The router under test.
    tttest::RouterHarness h;
    /// The msg servers: connections 1 and 2.
    std::shared_ptr<RecordingPeer> a = h.attach(1), b = h.attach(2);
};

CPPUNIT_TEST_SUITE_REGISTRATION(RouterStatusUpdateTest);
