// A connection's loss as the router sees it (protocol.md §7) with route.peer_loss_grace = 0:
// its presence goes at once, the users who thereby lost their last PC login are announced
// offline to the peers left (or not at all, when asked so), and the peer receives nothing more.
#include "FrameTokens.h"
#include "LossSettings.h"
#include "ProtocolConstants.h"
#include "RecordingPeerChecks.h"
#include "RelayedToOthers.h"
#include "RouterHarness.h"
#include "RouterStatusQuery.h"
#include "WireFrames.h"

#include "IM.Buddy.pb.h"
#include "IM.Server.pb.h"

#include <cppunit/extensions/HelperMacros.h>

#include <cstdint>
#include <string>
#include <vector>

using routertest::relayFrame;
using routertest::signInfoChanged;
using tttest::announcedAtOnce;
using tttest::assertNoneReceived;
using tttest::buddyNotify;
using tttest::described;
using tttest::describedByUser;
using tttest::describeFrame;
using tttest::joined;
using tttest::loginNotify;
using tttest::statusOf;
using namespace tttest::protocol;

using Harness = tttest::RouterHarness;

class RouterDetachTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(RouterDetachTest);
    CPPUNIT_TEST(detachAnnouncesUsersWhoLostLastPcLogin);
    CPPUNIT_TEST(detachWithoutAnnounceRemovesPresenceSilently);
    CPPUNIT_TEST(detachOfPeerWithoutUsers);
    CPPUNIT_TEST(detachOfPeerWithOneUser);
    CPPUNIT_TEST(detachedPeerReceivesNothingMore);
    CPPUNIT_TEST(detachOfManyUsers);
    CPPUNIT_TEST_SUITE_END();

public:
    void detachAnnouncesUsersWhoLostLastPcLogin()
    {
        Harness h(announcedAtOnce());
        auto a = h.attach(1), b = h.attach(2), c = h.attach(3);
        h.route(*a, tttest::onlineUserInfo({{1, kOnline, kWindows},   // PC only here: buddy offline
                                            {2, kOnline, kWindows},   // PC here, mobile on b: login 0 + buddy offline
                                            {3, kOnline, kWindows},   // PC here and on b: nothing
                                            {4, kOnline, kAndroid},   // mobile only here: nothing
                                            {5, kOnline, kMac},       // PC and mobile here: buddy offline
                                            {5, kOnline, kIos},
                                            {6, kLeave, kWindows}})); // LEAVE on a PC, mobile on c: login 0 + buddy offline
        h.route(*b, tttest::onlineUserInfo({{2, kOnline, kIos}, {3, kOnline, kMac}, {7, kOnline, kWindows}}));
        h.route(*c, tttest::onlineUserInfo({{6, kOnline, kAndroid}}));
        const auto before = h.counters.notificationsSent.load();
        h.router.detach(*a, true);

        CPPUNIT_ASSERT(!a->received());
        // Users may come in any order; each one's own notifications in §5 order.
        const std::string expected = joined({buddyNotify(1, kOffline), loginNotify(2, 0), buddyNotify(2, kOffline),
                                             buddyNotify(5, kOffline), loginNotify(6, 0), buddyNotify(6, kOffline)});
        for (const auto& peer : {b, c})
            CPPUNIT_ASSERT_EQUAL_MESSAGE(peer->description(), expected, describedByUser(*peer));
        CPPUNIT_ASSERT_EQUAL(before + 6, h.counters.notificationsSent.load());
        CPPUNIT_ASSERT_EQUAL(std::string("1=2 2=2 3=1 4=2 5=2 6=2 7=1"), statusOf(h, *b, {1, 2, 3, 4, 5, 6, 7}));
        CPPUNIT_ASSERT(h.presence.loginsOf(1).empty());
        CPPUNIT_ASSERT(h.presence.loginsOf(4).empty());
        CPPUNIT_ASSERT(h.presence.loginsOf(5).empty());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), h.presence.loginsOf(2).size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), h.presence.loginsOf(6).size());
    }

    void detachWithoutAnnounceRemovesPresenceSilently()
    {
        Harness h;
        auto a = h.attach(1), b = h.attach(2);
        h.route(*a, tttest::onlineUserInfo({{1, kOnline, kWindows}, {2, kOnline, kWindows}}));
        h.route(*b, tttest::onlineUserInfo({{2, kOnline, kIos}}));
        const auto before = h.counters.notificationsSent.load();
        h.router.detach(*a, false);
        assertNoneReceived({a, b});
        CPPUNIT_ASSERT_EQUAL(before, h.counters.notificationsSent.load());
        CPPUNIT_ASSERT_EQUAL(std::string("1=2 2=2"), statusOf(h, *b, {1, 2}));
        CPPUNIT_ASSERT(h.presence.loginsOf(1).empty());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), h.presence.loginsOf(2).size());
    }

    void detachOfPeerWithoutUsers()
    {
        Harness h(announcedAtOnce());
        auto a = h.attach(1), b = h.attach(2);
        h.route(*b, tttest::onlineUserInfo({{1, kOnline, kWindows}}));
        h.router.detach(*a, true);
        assertNoneReceived({a, b});
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), h.counters.notificationsSent.load());
        CPPUNIT_ASSERT_EQUAL(std::string("1=1"), statusOf(h, *b, {1}));
    }

    void detachOfPeerWithOneUser()
    {
        Harness h(announcedAtOnce());
        auto a = h.attach(1), b = h.attach(2);
        h.route(*a, tttest::statusUpdate(1, kOnline, kWindows));
        b->clear();
        h.router.detach(*a, true);
        CPPUNIT_ASSERT_EQUAL(buddyNotify(1, kOffline), described(*b));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(3), h.counters.notificationsSent.load());
    }

    void detachedPeerReceivesNothingMore()
    {
        Harness h(announcedAtOnce());
        auto a = h.attach(1), b = h.attach(2), c = h.attach(3);
        h.router.detach(*c, true);
        const std::string relay = relayFrame(kMsgData, 1), sign = signInfoChanged(2);
        h.route(*a, relay + sign + tttest::statusUpdate(5, kOnline, kWindows));
        CPPUNIT_ASSERT(!c->received());
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), b->frames().size()); // relay, sign, login and buddy notifications
        // Its presence went with it, and a peer attached later receives from then on.
        auto d = h.attach(4);
        h.route(*a, relay);
        CPPUNIT_ASSERT(relay == d->bytes());
        CPPUNIT_ASSERT(!c->received());
    }

    void detachOfManyUsers()
    {
        // Enough announcements for several blocks: every user exactly once, to every remaining peer.
        Harness h(announcedAtOnce());
        auto a = h.attach(1), b = h.attach(2), c = h.attach(3, true);
        constexpr std::uint32_t kUsers = 20000;
        std::string stream;
        std::vector<std::vector<std::uint32_t>> entries;
        for (std::uint32_t user = 1; user <= kUsers; ++user)
            entries.push_back({user, kOnline, user % 3 == 0 ? kAndroid : kWindows});
        h.route(*a, tttest::onlineUserInfo(entries));
        std::vector<std::vector<std::uint32_t>> mobiles;
        for (std::uint32_t user = 1; user <= kUsers; user += 7)
            mobiles.push_back({user, kOnline, kIos});
        h.route(*b, tttest::onlineUserInfo(mobiles));
        h.router.detach(*a, true);

        std::uint64_t expectedFrames = 0;
        for (std::uint32_t user = 1; user <= kUsers; ++user)
            if (user % 3 != 0)
                expectedFrames += user % 7 == 1 ? 2 : 1;
        for (auto* peer : {b.get(), c.get()})
        {
            const auto frames = peer->frames();
            CPPUNIT_ASSERT_EQUAL_MESSAGE(peer->description(), std::size_t(expectedFrames), frames.size());
            std::vector<int> buddyOffline(kUsers + 1, 0), loginOff(kUsers + 1, 0);
            for (std::size_t i = 0; i < frames.size(); ++i)
            {
                if (frames[i].commandId == 0x070e)
                {
                    IM::Server::IMServerPCLoginStatusNotify notify;
                    CPPUNIT_ASSERT(frames[i].parse(notify));
                    CPPUNIT_ASSERT_EQUAL(std::uint32_t(0), notify.login_status());
                    ++loginOff.at(notify.user_id());
                    // The buddy notification for the same user follows at once.
                    CPPUNIT_ASSERT(i + 1 < frames.size());
                    CPPUNIT_ASSERT_EQUAL(buddyNotify(notify.user_id(), kOffline), describeFrame(frames[i + 1]));
                    continue;
                }
                IM::Buddy::IMUserStatNotify notify;
                CPPUNIT_ASSERT(frames[i].parse(notify));
                CPPUNIT_ASSERT_EQUAL(std::uint16_t(0x0203), frames[i].commandId);
                CPPUNIT_ASSERT_EQUAL(std::uint32_t(kOffline), std::uint32_t(notify.user_stat().status()));
                ++buddyOffline.at(notify.user_stat().user_id());
            }
            for (std::uint32_t user = 1; user <= kUsers; ++user)
            {
                const bool lost = user % 3 != 0;
                const bool stillKnown = lost && user % 7 == 1;
                if (buddyOffline[user] != (lost ? 1 : 0) || loginOff[user] != (stillKnown ? 1 : 0))
                    CPPUNIT_FAIL(peer->description() + ": user " + std::to_string(user) + " announced " +
                                 std::to_string(buddyOffline[user]) + " buddy / " + std::to_string(loginOff[user]) + " login notifications");
            }
        }
        CPPUNIT_ASSERT_EQUAL(expectedFrames, h.counters.notificationsSent.load());
        CPPUNIT_ASSERT_EQUAL(mobiles.size(), h.presence.userCount());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RouterDetachTest);
