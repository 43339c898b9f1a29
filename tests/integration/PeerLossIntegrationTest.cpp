// A lost connection over real sockets (protocol.md §7, §8): the plugin loaded through
// Poco::ClassLoader and served on loopback, once or twice (two route servers), driven by msg
// servers that behave as stock ones do (StockMsgServer): connect to every route server,
// ONLINE_USER_INFO on each connect, status updates to all, ROLE_SET to the master only. The
// grace runs on the plugin's own timer; tests wait for what the route server says or counts,
// and a grace that must not pass during a test is an hour long.
#include "DiagnosticText.h"
#include "FakeMsgServer.h"
#include "ProtocolConstants.h"
#include "ServedPlugin.h"
#include "StockMsgServer.h"
#include "WireFrames.h"

#include "IM.Buddy.pb.h"
#include "IM.Server.pb.h"

#include <cppunit/extensions/HelperMacros.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

using tttest::describeFrames;
using tttest::ServedPlugin;
using tttest::StockMsgServer;
using tttest::WireFrame;
using namespace tttest::protocol;
using namespace std::chrono_literals;

namespace
{

using Clock = std::chrono::steady_clock;

/// The status notifications among `frames`, per user, as "login=N" and "buddy=S" in the
/// order they came; anything else fails the test.
std::map<std::uint32_t, std::vector<std::string>> notificationsByUser(const std::vector<WireFrame>& frames)
{
    std::map<std::uint32_t, std::vector<std::string>> byUser;
    for (const WireFrame& frame : frames)
    {
        if (frame.commandId == kLoginStatusNotify)
        {
            IM::Server::IMServerPCLoginStatusNotify notify;
            CPPUNIT_ASSERT(frame.parse(notify));
            byUser[notify.user_id()].push_back("login=" + std::to_string(notify.login_status()));
        }
        else if (frame.commandId == kBuddyStatusNotify)
        {
            IM::Buddy::IMUserStatNotify notify;
            CPPUNIT_ASSERT(frame.parse(notify));
            byUser[notify.user_stat().user_id()].push_back("buddy=" + std::to_string(notify.user_stat().status()));
        }
        else
            CPPUNIT_FAIL("not a status notification: " + describeFrames({frame}));
    }
    return byUser;
}

/// notificationsByUser() as one line, "1: buddy=2; 2: login=0 buddy=2", to compare readably.
std::string heard(const std::vector<WireFrame>& frames)
{
    std::string text;
    for (const auto& [user, notes] : notificationsByUser(frames))
    {
        text += (text.empty() ? "" : "; ") + std::to_string(user) + ":";
        for (const auto& note : notes)
            text += " " + note;
    }
    return text;
}

/// `copies` times each of `notes`, in order: what a msg server hears when every route server
/// it is linked to announces the same change.
std::string times(int copies, const std::string& notes)
{
    std::string text;
    for (int i = 0; i < copies; ++i)
        text += (text.empty() ? "" : " ") + notes;
    return text;
}

/// The sample of ttroute_peer_loss_users_total for `outcome`.
std::string lossSample(const std::string& outcome)
{
    return "ttroute_peer_loss_users_total{outcome=\"" + outcome + "\"}";
}

} // namespace

class PeerLossIntegrationTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(PeerLossIntegrationTest);
    CPPUNIT_TEST(reconnectWithinTheGraceAnnouncesNothing);
    CPPUNIT_TEST(lossThatLastsIsAnnouncedOnceAfterTheGraceAndTheReturnToo);
    CPPUNIT_TEST(userLoggedInElsewhereDuringTheGraceIsNotAnnouncedOffline);
    CPPUNIT_TEST(reloadChangesTheGraceOfPendingLosses);
    CPPUNIT_TEST(droppedLinkToTheNonMasterAnnouncesNothing);
    CPPUNIT_TEST(deathOfAMsgServerIsAnnouncedAfterTheGraceOncePerRouteServer);
    CPPUNIT_TEST(deathOfAMsgServerIsAnnouncedOnceViaMaster);
    CPPUNIT_TEST(masterChangeUnderAStreamOfUpdatesLosesAndDuplicatesNothing);
    CPPUNIT_TEST(viaMasterEachNotificationArrivesOnce);
    CPPUNIT_TEST_SUITE_END();

public:
    void tearDown() override { nodes_.clear(); }

    // ---- One route server ----------------------------------------------------------------

    void reconnectWithinTheGraceAnnouncesNothing()
    {
        serve(1, {{"peer_loss_grace", "1h"}});
        auto [m, keeper] = linkWithLogins({{1, kOnline, kWindows}, {2, kLeave, kMac}});

        m.lose(0);
        CPPUNIT_ASSERT_MESSAGE(node(0).log(), node(0).waitForMetric("ttroute_peer_loss_pending_users", 2));
        CPPUNIT_ASSERT(node(0).waitForLog("2 users went offline with it; announced after 3600s unless they come back"));
        m.reconnect(0);
        CPPUNIT_ASSERT_MESSAGE(node(0).log(), node(0).waitForMetric(lossSample("came_back"), 2));
        CPPUNIT_ASSERT_EQUAL(0.0, node(0).metric("ttroute_peer_loss_pending_users"));

        // Let the grace end now: nobody is left to announce.
        node(0).reconfigure({{"peer_loss_grace", "0"}});
        CPPUNIT_ASSERT_MESSAGE(node(0).log(), node(0).waitForLog("0 users announced offline (0 notifications), 2 came back in time"));
        CPPUNIT_ASSERT_EQUAL(std::string(), heard(keeper.sync()));
        CPPUNIT_ASSERT_EQUAL(std::string(), heard(m.sync()));
    }

    void lossThatLastsIsAnnouncedOnceAfterTheGraceAndTheReturnToo()
    {
        const auto grace = 300ms;
        serve(1, {{"peer_loss_grace", "300ms"}});
        auto [m, keeper] = linkWithLogins({{1, kOnline, kWindows}, {2, kOnline, kMac}, {2, kOnline, kIos}});
        keeper.update(2, kOnline, kAndroid);
        m.sync();
        keeper.sync();

        const auto lost = Clock::now();
        m.lose(0);
        std::vector<WireFrame> offline;
        while (offline.size() < 3)
            offline.push_back(keeper.link(0).receive(10s));
        CPPUNIT_ASSERT_MESSAGE("announced before the grace was over", Clock::now() - lost >= grace);
        CPPUNIT_ASSERT_EQUAL(std::string("1: buddy=2; 2: login=0 buddy=2"), heard(offline));
        CPPUNIT_ASSERT_MESSAGE(node(0).log(), node(0).waitForMetric(lossSample("announced"), 2));
        CPPUNIT_ASSERT(node(0).waitForLog("2 users announced offline (3 notifications), 0 came back in time"));
        CPPUNIT_ASSERT_EQUAL(std::string(), heard(keeper.sync())); // once

        // Back after the grace, it lists them again: announced online, to it as well.
        m.reconnect(0);
        const std::string online = "1: login=1 buddy=1; 2: login=1 buddy=1";
        CPPUNIT_ASSERT_EQUAL(online, heard(m.sync()));
        CPPUNIT_ASSERT_EQUAL(online, heard(keeper.sync()));
        CPPUNIT_ASSERT(node(0).waitForMetric("ttroute_peer_loss_healed_users_total", 2)); // counted after the answers went
        CPPUNIT_ASSERT(node(0).waitForLog("2 users it lists were announced offline after a lost connection; announced online again"));
    }

    void userLoggedInElsewhereDuringTheGraceIsNotAnnouncedOffline()
    {
        serve(1, {{"peer_loss_grace", "1h"}});
        auto [m, keeper] = linkWithLogins({{1, kOnline, kWindows}, {2, kOnline, kWindows}});
        StockMsgServer other(ports());

        m.lose(0);
        CPPUNIT_ASSERT_MESSAGE(node(0).log(), node(0).waitForMetric("ttroute_peer_loss_pending_users", 2));
        other.update(1, kOnline, kMac);
        other.sync();
        CPPUNIT_ASSERT_EQUAL(std::string("1: login=1 buddy=1"), heard(keeper.sync()));

        node(0).reconfigure({{"peer_loss_grace", "0"}});
        CPPUNIT_ASSERT_MESSAGE(node(0).log(), node(0).waitForLog("1 users announced offline (1 notifications), 1 came back in time"));
        CPPUNIT_ASSERT_EQUAL(std::string("2: buddy=2"), heard(keeper.sync()));
    }

    void reloadChangesTheGraceOfPendingLosses()
    {
        serve(1, {{"peer_loss_grace", "1h"}});
        auto [m, keeper] = linkWithLogins({{1, kOnline, kWindows}});
        m.lose(0);
        CPPUNIT_ASSERT_MESSAGE(node(0).log(), node(0).waitForMetric("ttroute_peer_loss_pending_users", 1));

        // Shorter: counted from the loss, so due at once.
        node(0).reconfigure({{"peer_loss_grace", "100ms"}});
        CPPUNIT_ASSERT_EQUAL(std::string("1: buddy=2"), heard({keeper.link(0).receive(10s)}));
        CPPUNIT_ASSERT_MESSAGE(node(0).log(), node(0).waitForMetric("ttroute_peer_loss_pending_users", 0));

        // Never: what is held is forgotten, unannounced.
        node(0).reconfigure({{"peer_loss_grace", "1h"}});
        StockMsgServer m2(ports());
        m2.update(2, kOnline, kWindows);
        m2.sync();
        m2.lose(0);
        CPPUNIT_ASSERT_MESSAGE(node(0).log(), node(0).waitForMetric("ttroute_peer_loss_pending_users", 1));
        node(0).reconfigure({{"peer_loss_grace", "never"}});
        CPPUNIT_ASSERT_MESSAGE(node(0).log(), node(0).waitForMetric(lossSample("forgotten"), 1));
        CPPUNIT_ASSERT(node(0).waitForLog("1 users held since its loss forgotten unannounced, 0 came back (route.peer_loss_grace is now never)"));
        CPPUNIT_ASSERT_EQUAL(0.0, node(0).metric("ttroute_peer_loss_pending_users"));
        CPPUNIT_ASSERT_EQUAL(std::string("2: login=1 buddy=1"), heard(keeper.sync())); // m2's login only
    }

    // ---- Two route servers, every msg server linked to both ----------------------------------

    void droppedLinkToTheNonMasterAnnouncesNothing()
    {
        for (const char* viaMaster : {"false", "true"})
        {
            serve(2, {{"peer_loss_grace", "1h"}, {"announce_via_master", viaMaster}});
            auto [m, keeper] = linkWithLogins({{1, kOnline, kWindows}});
            CPPUNIT_ASSERT_EQUAL(std::size_t(0), m.master());

            // The link to the second route server resets and comes back a few seconds later.
            m.lose(1);
            CPPUNIT_ASSERT_EQUAL(std::size_t(0), m.master());
            // Via master, a slave's loss is for its master route server to announce: not held here.
            const bool held = std::string(viaMaster) == "false";
            CPPUNIT_ASSERT_MESSAGE(node(1).log(), node(1).waitForMetric(lossSample(held ? "held" : "not_held"), 1));
            m.reconnect(1);
            CPPUNIT_ASSERT_MESSAGE(node(1).log(), node(1).waitForMetric(lossSample("came_back"), held ? 1 : 0));
            node(1).reconfigure({{"peer_loss_grace", "0"}, {"announce_via_master", viaMaster}});
            if (held)
                CPPUNIT_ASSERT(node(1).waitForLog("0 users announced offline (0 notifications), 1 came back in time"));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(viaMaster, std::string(), heard(keeper.sync()));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(viaMaster, std::string(), heard(m.sync()));
            CPPUNIT_ASSERT_EQUAL(0.0, node(0).metric(lossSample("held")));
            nodes_.clear();
        }
    }

    void deathOfAMsgServerIsAnnouncedAfterTheGraceOncePerRouteServer()
    {
        // As the original: every route server announces what it sees, so a msg server linked to
        // two hears each change twice.
        serve(2, {{"peer_loss_grace", "200ms"}});
        auto [m, keeper] = linkWithLogins({{1, kOnline, kWindows}});

        const auto died = Clock::now();
        m.lose(1);
        m.lose(0);
        for (std::size_t n = 0; n < 2; ++n)
        {
            CPPUNIT_ASSERT_EQUAL(std::string("1: buddy=2"), heard({keeper.link(n).receive(10s)}));
            CPPUNIT_ASSERT_MESSAGE(node(n).log(), node(n).waitForMetric(lossSample("announced"), 1));
        }
        CPPUNIT_ASSERT_MESSAGE("announced before the grace was over", Clock::now() - died >= 200ms);
        CPPUNIT_ASSERT_EQUAL(std::string(), heard(keeper.sync()));
    }

    void deathOfAMsgServerIsAnnouncedOnceViaMaster()
    {
        serve(2, {{"peer_loss_grace", "200ms"}, {"announce_via_master", "true"}});
        auto [m, keeper] = linkWithLogins({{1, kOnline, kWindows}});

        const auto died = Clock::now();
        m.lose(1);
        m.lose(0);
        // Its master announces, after the grace; the other route server does not.
        CPPUNIT_ASSERT_EQUAL(std::string("1: buddy=2"), heard({keeper.link(0).receive(10s)}));
        CPPUNIT_ASSERT_MESSAGE("announced before the grace was over", Clock::now() - died >= 200ms);
        CPPUNIT_ASSERT_MESSAGE(node(0).log(), node(0).waitForMetric(lossSample("announced"), 1));
        CPPUNIT_ASSERT_MESSAGE(node(1).log(), node(1).waitForMetric(lossSample("not_held"), 1));
        CPPUNIT_ASSERT(node(1).waitForLog("1 users went offline with it; not announced here: it calls another route server its master"));
        CPPUNIT_ASSERT_EQUAL(std::string(), heard(keeper.sync()));
    }

    void masterChangeUnderAStreamOfUpdatesLosesAndDuplicatesNothing()
    {
        for (const bool viaMaster : {false, true})
        {
            serve(2, {{"peer_loss_grace", "1h"}, {"announce_via_master", viaMaster ? "true" : "false"}});
            StockMsgServer s(ports());
            StockMsgServer keeper(ports());
            constexpr std::uint32_t kUpdates = 300;
            std::vector<WireFrame> toS; // what s heard
            for (std::uint32_t i = 0; i < kUpdates; ++i)
            {
                if (i == kUpdates / 3)
                {
                    // Its master link closes (all it sent there was read first); the second route
                    // server becomes its master.
                    toS = s.link(0).sync();
                    s.lose(0);
                    CPPUNIT_ASSERT_EQUAL(std::size_t(1), s.master());
                    // Its users are held there before it comes back: a connection thread slow to
                    // see the close could otherwise see the return first, with nothing to hold.
                    CPPUNIT_ASSERT_MESSAGE(node(0).log(), node(0).waitForMetric(lossSample("held"), kUpdates / 3));
                }
                if (i == 2 * kUpdates / 3)
                    s.reconnect(0); // back, as a slave: the role does not return
                s.update(1000 + i, kOnline, kWindows);
            }
            CPPUNIT_ASSERT_EQUAL(std::size_t(1), s.master());
            for (WireFrame& frame : s.sync())
                toS.push_back(std::move(frame));
            const auto fromS = notificationsByUser(toS);
            const auto atKeeper = notificationsByUser(keeper.sync());
            // Each login once from each route server that announces it: every one s is linked
            // to (both, but one while s is away from the first), or (via master) the one s calls
            // master at the moment. The sender hears its own changes as everyone else does.
            for (std::uint32_t i = 0; i < kUpdates; ++i)
            {
                const bool whileAway = i >= kUpdates / 3 && i < 2 * kUpdates / 3;
                const std::string expected = times(viaMaster || whileAway ? 1 : 2, "login=1 buddy=1");
                const std::string user = std::to_string(1000 + i) + (viaMaster ? " via master" : "");
                auto joinedNotes = [](const std::vector<std::string>& notes) {
                    std::string text;
                    for (const auto& note : notes)
                        text += (text.empty() ? "" : " ") + note;
                    return text;
                };
                const auto k = atKeeper.find(1000 + i);
                CPPUNIT_ASSERT_EQUAL_MESSAGE("keeper, user " + user, expected, k == atKeeper.end() ? "" : joinedNotes(k->second));
                const auto own = fromS.find(1000 + i);
                CPPUNIT_ASSERT_EQUAL_MESSAGE("sender, user " + user, expected, own == fromS.end() ? "" : joinedNotes(own->second));
            }
            // The first route server held the users of the closed link until they came back.
            CPPUNIT_ASSERT_MESSAGE(node(0).log(), node(0).waitForMetric(lossSample("came_back"), kUpdates / 3));
            nodes_.clear();
        }
    }

    void viaMasterEachNotificationArrivesOnce()
    {
        serve(2, {{"announce_via_master", "true"}});
        StockMsgServer s(ports());
        StockMsgServer keeper(ports());
        s.update(1, kOnline, kWindows);
        s.update(2, kOnline, kAndroid);
        s.update(2, kOnline, kMac);
        s.update(3, kLeave, kMac);
        s.update(1, kOffline, kWindows);
        s.update(2, kOffline, kMac);
        const std::string expected = "1: login=1 buddy=1 buddy=2; 2: login=1 buddy=1 login=0 buddy=2; 3: login=1 buddy=3";
        CPPUNIT_ASSERT_EQUAL(expected, heard(s.sync()));
        CPPUNIT_ASSERT_EQUAL(expected, heard(keeper.sync()));
        // Counters are added once a read is routed, after its answers went out: the sync's
        // answer can arrive before the count.
        CPPUNIT_ASSERT(node(1).waitForMetric("ttroute_status_updates_unannounced_total", 6));
        CPPUNIT_ASSERT_EQUAL(0.0, node(0).metric("ttroute_status_updates_unannounced_total"));
    }

private:
    /// A login, status change or logout a msg server tells the route servers of.
    struct Login
    {
        std::uint32_t user;
        std::uint32_t status;
        std::uint32_t clientType;
    };

    /// A msg server whose links tests lose, and a keeper that hears what the route servers
    /// announce, both linked to every route server served.
    struct MsgServerAndKeeper
    {
        StockMsgServer m;
        StockMsgServer keeper;
    };

    /// Links `m` and then `keeper` to every route server served, and has `m` make `logins`;
    /// returns once both have heard, and dropped, what those caused.
    MsgServerAndKeeper linkWithLogins(const std::vector<Login>& logins)
    {
        MsgServerAndKeeper linked{StockMsgServer(ports()), StockMsgServer(ports())};
        for (const Login& login : logins)
            linked.m.update(login.user, login.status, login.clientType);
        linked.m.sync();
        linked.keeper.sync();
        return linked;
    }

    /// Serves `count` route servers with `settings`.
    void serve(std::size_t count, const ServedPlugin::Settings& settings)
    {
        for (std::size_t i = 0; i < count; ++i)
            nodes_.push_back(std::make_unique<ServedPlugin>(TTROUTE_PLUGIN_PATH, settings));
    }

    ServedPlugin& node(std::size_t n) { return *nodes_.at(n); }

    std::vector<std::uint16_t> ports() const
    {
        std::vector<std::uint16_t> ports;
        for (const auto& served : nodes_)
            ports.push_back(served->port());
        return ports;
    }

    std::vector<std::unique_ptr<ServedPlugin>> nodes_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(PeerLossIntegrationTest);
