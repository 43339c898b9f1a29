// The router on a lost connection (protocol.md §7): presence goes at once, the offline
// announcement waits for route.peer_loss_grace, users back in time are never announced,
// users announced offline and listed again are announced online; and with
// route.announce_via_master, only what a msg server's master route server must say is said
// (protocol.md §8). Time is the argument of Router::announceLosses(), so no test waits.
#include "FrameTokens.h"
#include "LossSettings.h"
#include "ProtocolConstants.h"
#include "RecordingPeerChecks.h"
#include "RouterHarness.h"
#include "RouterStatusQuery.h"
#include "WireFrames.h"
#include "routing/RouteCounters.h"

#include <cppunit/extensions/HelperMacros.h>

#include <chrono>
#include <string>

using ttroute::LossOutcome;
using ttroute::PeerRole;
using tttest::assertEachReceived;
using tttest::assertNoneReceived;
using tttest::buddyNotify;
using tttest::clearAll;
using tttest::described;
using tttest::describedByUser;
using tttest::joined;
using tttest::loginNotify;
using tttest::lossSettings;
using tttest::statusOf;
using namespace tttest::protocol;
using namespace std::chrono_literals;

namespace
{

using Clock = std::chrono::steady_clock;

/// The router with the lost users' counters and expiry at hand.
struct Harness : tttest::RouterHarness
{
    using RouterHarness::RouterHarness;

    /// Users lost with connections so far with `outcome`.
    std::uint64_t lost(LossOutcome outcome) const { return counters.lostUsers[static_cast<std::size_t>(outcome)].load(); }

    /// Runs the expiry as if `after` had passed since now.
    Clock::time_point expireAfter(Clock::duration after) { return router.announceLosses(Clock::now() + after); }
};

} // namespace

class PeerLossTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(PeerLossTest);
    CPPUNIT_TEST(lossIsHeldForTheGraceThenAnnouncedOnce);
    CPPUNIT_TEST(reconnectWithinTheGraceAnnouncesNothing);
    CPPUNIT_TEST(userLoggedInElsewhereDuringTheGraceIsNotAnnouncedOffline);
    CPPUNIT_TEST(userBackAndGoneAgainDuringTheGraceIsAnnouncedOnce);
    CPPUNIT_TEST(mobileLoginDuringTheGraceDoesNotCancel);
    CPPUNIT_TEST(usersAnnouncedOfflineAndListedAgainAreAnnouncedOnline);
    CPPUNIT_TEST(usersWhoLogInAgainAreNotAnnouncedTwice);
    CPPUNIT_TEST(mobileListingDoesNotBringAnAnnouncedUserBack);
    CPPUNIT_TEST(shorterGraceAppliesToPendingLosses);
    CPPUNIT_TEST(graceTurnedToNeverForgetsPendingLosses);
    CPPUNIT_TEST(graceNeverAnnouncesNothing);
    CPPUNIT_TEST(viaMasterAnnouncesOnlyWhatMastersAndUnknownsSay);
    CPPUNIT_TEST(viaMasterLossOfASlaveIsNotAnnounced);
    CPPUNIT_TEST(viaMasterReturnIsAnnouncedWhoeverListsIt);
    CPPUNIT_TEST_SUITE_END();

public:
    void lossIsHeldForTheGraceThenAnnouncedOnce()
    {
        Harness h(lossSettings(1h));
        auto a = h.attach(1), b = h.attach(2), c = h.attach(3);
        h.route(*a, tttest::onlineUserInfo({{1, kOnline, kWindows},     // PC only on a: buddy offline
                                            {2, kOnline, kMac},         // PC on a, mobile on b: login 0, buddy offline
                                            {3, kOnline, kWindows},     // PC on a and b: nothing
                                            {4, kOnline, kAndroid}}));  // mobile only: nothing
        h.route(*b, tttest::onlineUserInfo({{2, kOnline, kIos}, {3, kOnline, kMac}}));
        const auto lostAt = Clock::now();
        h.router.detach(*a, true);

        // Presence is gone at once; nothing is said yet.
        assertNoneReceived({b, c});
        CPPUNIT_ASSERT_EQUAL(std::string("1=2 2=2 3=1 4=2"), statusOf(h, *c, {1, 2, 3, 4}));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), h.lost(LossOutcome::Held));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), h.router.lostUserCounts().first);

        // Not due before the hour is over.
        const Clock::time_point due = h.router.announceLosses(Clock::now());
        CPPUNIT_ASSERT(due >= lostAt + 1h && due <= Clock::now() + 1h);
        CPPUNIT_ASSERT(!b->received());

        CPPUNIT_ASSERT(Clock::time_point::max() == h.expireAfter(2h));
        const std::string expected = joined({buddyNotify(1, kOffline), loginNotify(2, 0), buddyNotify(2, kOffline)});
        CPPUNIT_ASSERT_EQUAL(expected, describedByUser(*b));
        CPPUNIT_ASSERT_EQUAL(expected, describedByUser(*c));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), h.lost(LossOutcome::Announced));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(3), h.counters.notificationsSent.load());
        CPPUNIT_ASSERT(h.router.lostUserCounts() == std::make_pair(std::size_t(0), std::size_t(2)));

        // Once.
        clearAll({b, c});
        h.expireAfter(3h);
        CPPUNIT_ASSERT(!b->received());
    }

    void reconnectWithinTheGraceAnnouncesNothing()
    {
        Harness h(lossSettings(1h));
        auto a = h.attach(1), b = h.attach(2);
        const auto list = tttest::onlineUserInfo({{1, kOnline, kWindows}, {2, kLeave, kMac}});
        h.route(*a, list);
        h.router.detach(*a, true);
        auto again = h.attach(3);
        h.route(*again, list);
        CPPUNIT_ASSERT_EQUAL(std::string("1=1 2=1"), statusOf(h, *b, {1, 2}));
        h.expireAfter(2h);
        assertNoneReceived({b, again});
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), h.lost(LossOutcome::CameBack));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), h.lost(LossOutcome::Announced));
        CPPUNIT_ASSERT(h.router.lostUserCounts() == std::make_pair(std::size_t(0), std::size_t(0)));
    }

    void userLoggedInElsewhereDuringTheGraceIsNotAnnouncedOffline()
    {
        Harness h(lossSettings(1h));
        auto a = h.attach(1), b = h.attach(2), c = h.attach(3);
        h.route(*a, tttest::onlineUserInfo({{1, kOnline, kWindows}, {2, kOnline, kWindows}}));
        h.router.detach(*a, true);
        h.route(*b, tttest::statusUpdate(1, kOnline, kMac));
        // The login is announced as any login is.
        CPPUNIT_ASSERT_EQUAL(joined({loginNotify(1, 1), buddyNotify(1, kOnline)}), described(*c));
        clearAll({b, c});
        h.expireAfter(2h);
        CPPUNIT_ASSERT_EQUAL(buddyNotify(2, kOffline), described(*c));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), h.lost(LossOutcome::CameBack));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), h.lost(LossOutcome::Announced));
    }

    void userBackAndGoneAgainDuringTheGraceIsAnnouncedOnce()
    {
        Harness h(lossSettings(1h));
        auto a = h.attach(1), b = h.attach(2), c = h.attach(3);
        h.route(*a, tttest::onlineUserInfo({{1, kOnline, kWindows}}));
        h.router.detach(*a, true);
        h.route(*b, tttest::statusUpdate(1, kOnline, kWindows) + tttest::statusUpdate(1, kOffline, kWindows));
        CPPUNIT_ASSERT_EQUAL(joined({loginNotify(1, 1), buddyNotify(1, kOnline), buddyNotify(1, kOffline)}), described(*c));
        clearAll({b, c});
        h.expireAfter(2h);
        CPPUNIT_ASSERT(!c->received());
    }

    void mobileLoginDuringTheGraceDoesNotCancel()
    {
        // A mobile login leaves the user offline (protocol.md §4): the announcement still goes,
        // telling the PC client types that the last PC login went.
        Harness h(lossSettings(1h));
        auto a = h.attach(1), b = h.attach(2), c = h.attach(3);
        h.route(*a, tttest::onlineUserInfo({{1, kOnline, kWindows}}));
        h.router.detach(*a, true);
        h.route(*b, tttest::statusUpdate(1, kOnline, kAndroid));
        CPPUNIT_ASSERT(!c->received());
        h.expireAfter(2h);
        CPPUNIT_ASSERT_EQUAL(joined({loginNotify(1, 0), buddyNotify(1, kOffline)}), described(*c));
    }

    void usersAnnouncedOfflineAndListedAgainAreAnnouncedOnline()
    {
        Harness h(lossSettings(1h));
        auto a = h.attach(1), b = h.attach(2);
        h.route(*a, tttest::onlineUserInfo({{1, kOnline, kWindows}, {2, kOnline, kMac}, {3, kOnline, kWindows}}));
        h.router.detach(*a, true);
        h.expireAfter(2h);
        b->clear();

        // Back with the msg server after the grace: a login's notifications, to everyone,
        // the sender too, with the status listed; user 5 was never announced offline.
        auto again = h.attach(3);
        h.route(*again, tttest::onlineUserInfo({{1, kOnline, kWindows}, {2, kLeave, kMac}, {5, kOnline, kWindows}}));
        const std::string expected = joined({loginNotify(1, 1), buddyNotify(1, kOnline), loginNotify(2, 1), buddyNotify(2, kLeave)});
        assertEachReceived(expected, {b, again});
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), h.counters.usersHealed.load());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), h.router.lostUserCounts().second); // user 3 is still out

        // Once: listed again elsewhere, they are online already.
        clearAll({b, again});
        auto third = h.attach(4);
        h.route(*third, tttest::onlineUserInfo({{1, kOnline, kMac}, {2, kOnline, kWindows}}));
        assertNoneReceived({b, third});
    }

    void usersWhoLogInAgainAreNotAnnouncedTwice()
    {
        Harness h(lossSettings(1h));
        auto a = h.attach(1), b = h.attach(2), c = h.attach(3);
        h.route(*a, tttest::onlineUserInfo({{1, kOnline, kWindows}}));
        h.router.detach(*a, true);
        h.expireAfter(2h);
        // Back by a login of its own: announced as that login; a later listing is news to nobody.
        h.route(*b, tttest::statusUpdate(1, kOnline, kWindows) + tttest::statusUpdate(1, kOffline, kWindows));
        clearAll({b, c});
        auto again = h.attach(4);
        h.route(*again, tttest::onlineUserInfo({{1, kOnline, kWindows}}));
        CPPUNIT_ASSERT(!c->received());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), h.counters.usersHealed.load());
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), h.router.lostUserCounts().second);
    }

    void mobileListingDoesNotBringAnAnnouncedUserBack()
    {
        Harness h(lossSettings(1h));
        auto a = h.attach(1), b = h.attach(2);
        h.route(*a, tttest::onlineUserInfo({{1, kOnline, kWindows}}));
        h.router.detach(*a, true);
        h.expireAfter(2h);
        b->clear();
        auto phone = h.attach(3);
        h.route(*phone, tttest::onlineUserInfo({{1, kOnline, kIos}}));
        CPPUNIT_ASSERT(!b->received());
        auto desk = h.attach(4);
        h.route(*desk, tttest::onlineUserInfo({{1, kOnline, kWindows}}));
        CPPUNIT_ASSERT_EQUAL(joined({loginNotify(1, 1), buddyNotify(1, kOnline)}), described(*b));
    }

    void shorterGraceAppliesToPendingLosses()
    {
        Harness h(lossSettings(1h));
        auto a = h.attach(1), b = h.attach(2);
        h.route(*a, tttest::onlineUserInfo({{1, kOnline, kWindows}}));
        const auto lostAt = Clock::now();
        h.router.detach(*a, true);
        CPPUNIT_ASSERT(h.router.announceLosses(Clock::now()) >= lostAt + 1h);
        // Counted from the loss, not from the change.
        h.settings.update(lossSettings(10s));
        const Clock::time_point due = h.router.announceLosses(Clock::now());
        CPPUNIT_ASSERT(due >= lostAt + 10s && due <= Clock::now() + 10s);
        CPPUNIT_ASSERT(!b->received());
        h.router.announceLosses(due);
        CPPUNIT_ASSERT_EQUAL(buddyNotify(1, kOffline), described(*b));
    }

    void graceTurnedToNeverForgetsPendingLosses()
    {
        Harness h(lossSettings(1h));
        auto a = h.attach(1), b = h.attach(2);
        h.route(*a, tttest::onlineUserInfo({{1, kOnline, kWindows}, {2, kOnline, kWindows}}));
        h.router.detach(*a, true);
        h.settings.update(lossSettings(std::nullopt));
        CPPUNIT_ASSERT(Clock::time_point::max() == h.router.announceLosses(Clock::now()));
        CPPUNIT_ASSERT(!b->received());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), h.lost(LossOutcome::Forgotten));
        CPPUNIT_ASSERT(h.router.lostUserCounts() == std::make_pair(std::size_t(0), std::size_t(0)));
        // Never announced offline, so never announced back.
        auto again = h.attach(3);
        h.route(*again, tttest::onlineUserInfo({{1, kOnline, kWindows}}));
        CPPUNIT_ASSERT(!b->received());
    }

    void graceNeverAnnouncesNothing()
    {
        Harness h(lossSettings(std::nullopt));
        auto a = h.attach(1), b = h.attach(2);
        h.route(*a, tttest::onlineUserInfo({{1, kOnline, kWindows}}));
        h.router.detach(*a, true);
        CPPUNIT_ASSERT(Clock::time_point::max() == h.expireAfter(2h));
        CPPUNIT_ASSERT(!b->received());
        CPPUNIT_ASSERT_EQUAL(std::string("1=2"), statusOf(h, *b, {1}));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), h.lost(LossOutcome::NotHeld));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), h.lost(LossOutcome::Held));
    }

    void viaMasterAnnouncesOnlyWhatMastersAndUnknownsSay()
    {
        Harness h(lossSettings(1h, true));
        auto master = h.attach(1), slave = h.attach(2), unknown = h.attach(3);
        h.route(*master, tttest::roleSet(true) + tttest::onlineUserInfo({}));
        h.route(*slave, tttest::onlineUserInfo({})); // no ROLE_SET first: its master is elsewhere
        CPPUNIT_ASSERT(PeerRole::Master == master->role());
        CPPUNIT_ASSERT(PeerRole::Slave == slave->role());
        CPPUNIT_ASSERT(PeerRole::Unknown == unknown->role());

        const std::string online10 = joined({loginNotify(10, 1), buddyNotify(10, kOnline)});
        h.route(*master, tttest::statusUpdate(10, kOnline, kWindows));
        assertEachReceived(online10, {master, slave, unknown});
        clearAll({master, slave, unknown});

        // The slave's update changes presence, and its master route server announces it.
        h.route(*slave, tttest::statusUpdate(20, kOnline, kWindows));
        assertNoneReceived({master, slave, unknown});
        CPPUNIT_ASSERT_EQUAL(std::string("20=1"), statusOf(h, *master, {20}));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), h.counters.statusUpdatesUnannounced.load());

        // A connection that has said nothing of its role yet is not silenced.
        h.route(*unknown, tttest::statusUpdate(30, kOnline, kWindows));
        CPPUNIT_ASSERT_EQUAL(joined({loginNotify(30, 1), buddyNotify(30, kOnline)}), described(*slave));
        clearAll({master, slave, unknown});

        // Its master gone, the msg server makes this link its master: announced from then on.
        h.route(*slave, tttest::roleSet(true) + tttest::statusUpdate(20, kOffline, kWindows));
        CPPUNIT_ASSERT_EQUAL(buddyNotify(20, kOffline), described(*unknown));
        // A master's ONLINE_USER_INFO leaves it master.
        h.route(*master, tttest::onlineUserInfo({}));
        CPPUNIT_ASSERT(PeerRole::Master == master->role());
    }

    void viaMasterLossOfASlaveIsNotAnnounced()
    {
        Harness h(lossSettings(1h, true));
        auto master = h.attach(1), slave = h.attach(2), other = h.attach(3);
        h.route(*master, tttest::roleSet(true) + tttest::onlineUserInfo({{1, kOnline, kWindows}}));
        h.route(*slave, tttest::onlineUserInfo({{2, kOnline, kWindows}}));
        h.router.detach(*slave, true);
        h.router.detach(*master, true);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), h.lost(LossOutcome::NotHeld));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), h.lost(LossOutcome::Held));
        h.expireAfter(2h);
        CPPUNIT_ASSERT_EQUAL(buddyNotify(1, kOffline), described(*other));
    }

    void viaMasterReturnIsAnnouncedWhoeverListsIt()
    {
        // What this route server announced offline, it corrects itself, whatever the role of
        // the link the users come back on.
        Harness h(lossSettings(1h, true));
        auto master = h.attach(1), other = h.attach(2);
        h.route(*master, tttest::roleSet(true) + tttest::onlineUserInfo({{1, kOnline, kWindows}}));
        h.router.detach(*master, true);
        h.expireAfter(2h);
        other->clear();
        auto slave = h.attach(3);
        h.route(*slave, tttest::onlineUserInfo({{1, kOnline, kWindows}}));
        CPPUNIT_ASSERT(PeerRole::Slave == slave->role());
        CPPUNIT_ASSERT_EQUAL(joined({loginNotify(1, 1), buddyNotify(1, kOnline)}), described(*other));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PeerLossTest);
