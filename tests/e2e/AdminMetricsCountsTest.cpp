// The values of GET /metrics that the traffic determines, on the real tthost driven by fake msg
// servers: gauges that follow connections and logins, and exact before/after deltas (so that
// the syncs which prove delivery do not blur them) of relayed MSG_DATA, status queries and
// notifications, framing faults and bad bodies, reloads and the allowlist.
#include "AdminEndToEnd.h"
#include "ConfigReloads.h"
#include "DiagnosticText.h"
#include "MsgServerChecks.h"
#include "ProtocolConstants.h"
#include "ScrapedMetrics.h"
#include "WireFrames.h"

#include <cppunit/extensions/HelperMacros.h>

#include <csignal>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

using tttest::FakeMsgServer;
using tttest::query;
using namespace tttest::protocol;
using namespace std::chrono_literals;

class AdminMetricsCountsTest : public AdminEndToEnd
{
    CPPUNIT_TEST_SUITE(AdminMetricsCountsTest);
    CPPUNIT_TEST(gaugesFollowConnectionsAndLogins);
    CPPUNIT_TEST(relayedMsgDataIsCountedExactly);
    CPPUNIT_TEST(statusQueriesAndNotificationsAreCountedExactly);
    CPPUNIT_TEST(framingFaultsAndBadBodiesAreCounted);
    CPPUNIT_TEST(reloadsAndAllowlistAreCounted);
    CPPUNIT_TEST_SUITE_END();

public:
    /// Issue: ttroute_connected_msg_servers counts the fake servers; ttroute_online_users and
    /// ttroute_online_logins{client_type} match the logins (A on windows and android, B on
    /// mac, C on ios, then A on windows again elsewhere); closing a server is one
    /// disconnect{reason="eof"} and takes its users and logins away.
    void gaugesFollowConnectionsAndLogins()
    {
        // A lost connection's users announced at once, so the counters move with the close.
        const std::uint16_t admin = startWithAdmin(adminProperties().set("route.peer_loss_grace", "0"));
        FakeMsgServer& f1 = connectMsgServer();
        FakeMsgServer& f2 = connectMsgServer();
        FakeMsgServer& f3 = connectMsgServer();
        Exposition page = settledMetrics(admin);
        assertValue(page, "ttroute_connected_msg_servers", {}, 3);
        assertValue(page, "ttroute_online_users", {}, 0);

        const std::uint32_t userA = 1001, userB = 1002, userC = 1003;
        f1.send(tttest::statusUpdate(userA, kOnline, kWindows));
        f1.send(tttest::statusUpdate(userA, kOnline, kAndroid));
        f2.send(tttest::statusUpdate(userB, kOnline, kMac));
        f2.send(tttest::statusUpdate(userC, kOnline, kIos));
        for (FakeMsgServer* fake : {&f1, &f2, &f3})
            fake->sync();
        page = settledMetrics(admin);
        assertValue(page, "ttroute_connected_msg_servers", {}, 3);
        assertValue(page, "ttroute_online_users", {}, 3);
        assertValue(page, "ttroute_online_logins", {{"client_type", "windows"}}, 1);
        assertValue(page, "ttroute_online_logins", {{"client_type", "android"}}, 1);
        assertValue(page, "ttroute_online_logins", {{"client_type", "mac"}}, 1);
        assertValue(page, "ttroute_online_logins", {{"client_type", "ios"}}, 1);

        f3.send(tttest::statusUpdate(userA, kOnline, kWindows));
        // The sender first: its sync proves the notifications are in the others' queues, so
        // theirs read them all (f2 must have nothing unread when it closes: that would be a reset).
        for (FakeMsgServer* fake : {&f3, &f1, &f2})
            fake->sync();
        const Exposition before = settledMetrics(admin);
        assertValue(before, "ttroute_online_users", {}, 3);
        assertValue(before, "ttroute_online_logins", {{"client_type", "windows"}}, 2);

        // f2 goes: B (its only login a PC one) is announced offline, once; C was never online.
        f2.close();
        const Exposition after = metricsAfterDelta(admin, before, "ttroute_disconnects_total", {{"reason", "eof"}}, 1);
        assertDelta(before, after, "ttroute_disconnects_total", {{"reason", "eof"}}, 1);
        for (const char* reason : {"read_error", "write_error", "idle_timeout", "queue_overflow", "bad_frame", "not_allowed", "internal_error", "evicted", "drained", "shutdown"})
            assertDelta(before, after, "ttroute_disconnects_total", {{"reason", reason}}, 0);
        assertValue(after, "ttroute_connected_msg_servers", {}, 2);
        assertValue(after, "ttroute_online_users", {}, 1);
        assertValue(after, "ttroute_online_logins", {{"client_type", "windows"}}, 2);
        assertValue(after, "ttroute_online_logins", {{"client_type", "android"}}, 1);
        assertValue(after, "ttroute_online_logins", {{"client_type", "mac"}}, 0);
        assertValue(after, "ttroute_online_logins", {{"client_type", "ios"}}, 0);
        assertDelta(before, after, "ttroute_notifications_total", {}, 1);
        assertDelta(before, after, "ttroute_sent_pdus_total", {{"command", "buddy_list_status_notify"}}, 2);
        assertDelta(before, after, "ttroute_peer_loss_users_total", {{"outcome", "held"}}, 1);
        assertDelta(before, after, "ttroute_peer_loss_users_total", {{"outcome", "announced"}}, 1);
        assertValue(after, "ttroute_peer_loss_pending_users", {}, 0);
        assertValue(after, "ttroute_peer_loss_remembered_users", {}, 1);
        stopCleanly();
    }

    /// Issue: exactly N relayed MSG_DATA among three msg servers give relayed +N,
    /// received{msg_data} +N and sent{msg_data} +N×2 (bytes likewise); the syncs that prove
    /// delivery are three status queries.
    void relayedMsgDataIsCountedExactly()
    {
        const std::uint16_t admin = startWithAdmin(adminProperties());
        FakeMsgServer& f1 = connectMsgServer();
        FakeMsgServer& f2 = connectMsgServer();
        FakeMsgServer& f3 = connectMsgServer();
        const Exposition before = settledMetrics(admin);

        constexpr int kFrames = 7;
        constexpr int kPeers = 3;
        std::vector<std::string> sent;
        double bytes = 0;
        for (std::uint32_t i = 0; i < kFrames; ++i)
        {
            sent.push_back(tttest::msgData(2001, 2002, i, "message " + std::to_string(i) + std::string(i * 100, 'x')));
            bytes += static_cast<double>(sent.back().size());
            f1.send(sent.back());
        }
        CPPUNIT_ASSERT(f1.sync().empty());
        for (FakeMsgServer* fake : {&f2, &f3})
        {
            const auto got = fake->sync();
            CPPUNIT_ASSERT_EQUAL_MESSAGE(tttest::describeFrames(got), std::size_t(kFrames), got.size());
            for (std::size_t i = 0; i < got.size(); ++i)
                CPPUNIT_ASSERT_MESSAGE("relayed frame " + std::to_string(i) + " differs", sent[i] == got[i].bytes);
        }

        const Exposition after = metricsAfterDelta(admin, before, "ttroute_status_queries_total", {}, 3);
        assertDelta(before, after, "ttroute_relayed_pdus_total", {}, kFrames);
        assertDelta(before, after, "ttroute_received_pdus_total", {{"command", "msg_data"}}, kFrames);
        assertDelta(before, after, "ttroute_received_bytes_total", {{"command", "msg_data"}}, bytes);
        assertDelta(before, after, "ttroute_sent_pdus_total", {{"command", "msg_data"}}, kFrames * (kPeers - 1));
        assertDelta(before, after, "ttroute_sent_bytes_total", {{"command", "msg_data"}}, bytes * (kPeers - 1));
        // The three syncs.
        assertDelta(before, after, "ttroute_status_queries_total", {}, 3);
        assertDelta(before, after, "ttroute_status_query_ids_total", {}, 0);
        assertDelta(before, after, "ttroute_received_pdus_total", {{"command", "users_status_request"}}, 3);
        assertDelta(before, after, "ttroute_sent_pdus_total", {{"command", "users_status_response"}}, 3);
        // Nothing else moved.
        assertDelta(before, after, "ttroute_notifications_total", {}, 0);
        assertDelta(before, after, "ttroute_bodies_dropped_total", {}, 0);
        assertDelta(before, after, "ttroute_frames_ignored_total", {}, 0);
        assertDelta(before, after, "ttroute_received_pdus_total", {{"command", "other"}}, 0);
        stopCleanly();
    }

    /// Issue: status queries of K ids give exact deltas of ttroute_status_queries_total and
    /// ttroute_status_query_ids_total; a PC login's status update gives
    /// ttroute_notifications_total +2 (one LOGIN_STATUS_NOTIFY, one BUDDY_LIST_STATUS_NOTIFY,
    /// each sent to both msg servers); a mobile-only login none; the PC logout one.
    void statusQueriesAndNotificationsAreCountedExactly()
    {
        const std::uint16_t admin = startWithAdmin(adminProperties());
        FakeMsgServer& f1 = connectMsgServer();
        FakeMsgServer& f2 = connectMsgServer();

        // Two queries, 5 ids (duplicates kept) and 3 ids, answered before anything is counted.
        Exposition before = settledMetrics(admin);
        CPPUNIT_ASSERT_EQUAL(std::string("1:2 2:2 3:2 2:2 1:2 "), query(f1, {1, 2, 3, 2, 1}, 0x0101));
        CPPUNIT_ASSERT_EQUAL(std::string("9:2 8:2 7:2 "), query(f1, {9, 8, 7}, 0x0102));
        Exposition after = metricsAfterDelta(admin, before, "ttroute_status_queries_total", {}, 2);
        assertDelta(before, after, "ttroute_status_queries_total", {}, 2);
        assertDelta(before, after, "ttroute_status_query_ids_total", {}, 8);
        assertDelta(before, after, "ttroute_received_pdus_total", {{"command", "users_status_request"}}, 2);
        assertDelta(before, after, "ttroute_sent_pdus_total", {{"command", "users_status_response"}}, 2);
        assertDelta(before, after, "ttroute_notifications_total", {}, 0);

        // A PC login: LOGIN_STATUS_NOTIFY and BUDDY_LIST_STATUS_NOTIFY, to both servers.
        before = after;
        f1.send(tttest::statusUpdate(3001, kOnline, kWindows));
        const auto toSender = f1.sync();
        const auto toOther = f2.sync();
        CPPUNIT_ASSERT_EQUAL_MESSAGE(tttest::describeFrames(toSender), std::size_t(2), toSender.size());
        CPPUNIT_ASSERT_EQUAL_MESSAGE(tttest::describeFrames(toOther), std::size_t(2), toOther.size());
        after = metricsAfterDelta(admin, before, "ttroute_status_queries_total", {}, 2);
        assertDelta(before, after, "ttroute_notifications_total", {}, 2);
        assertDelta(before, after, "ttroute_sent_pdus_total", {{"command", "login_status_notify"}}, 2);
        assertDelta(before, after, "ttroute_sent_pdus_total", {{"command", "buddy_list_status_notify"}}, 2);
        assertDelta(before, after, "ttroute_received_pdus_total", {{"command", "user_status_update"}}, 1);
        assertDelta(before, after, "ttroute_status_queries_total", {}, 2); // the two syncs
        assertDelta(before, after, "ttroute_status_query_ids_total", {}, 0);

        // A mobile-only login notifies nobody (protocol.md §5).
        before = after;
        f1.send(tttest::statusUpdate(3002, kOnline, kAndroid));
        CPPUNIT_ASSERT(f1.sync().empty());
        after = metricsAfterDelta(admin, before, "ttroute_status_queries_total", {}, 1);
        assertDelta(before, after, "ttroute_notifications_total", {}, 0);
        assertDelta(before, after, "ttroute_received_pdus_total", {{"command", "user_status_update"}}, 1);

        // The last PC login logs off and the user is forgotten: BUDDY_LIST_STATUS_NOTIFY only.
        before = after;
        f1.send(tttest::statusUpdate(3001, kOffline, kWindows));
        const auto offline = f1.sync();
        CPPUNIT_ASSERT_EQUAL_MESSAGE(tttest::describeFrames(offline), std::size_t(1), offline.size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), f2.sync().size());
        after = metricsAfterDelta(admin, before, "ttroute_status_queries_total", {}, 2);
        assertDelta(before, after, "ttroute_notifications_total", {}, 1);
        assertDelta(before, after, "ttroute_sent_pdus_total", {{"command", "login_status_notify"}}, 0);
        assertDelta(before, after, "ttroute_sent_pdus_total", {{"command", "buddy_list_status_notify"}}, 2);
        stopCleanly();
    }

    /// Issue: a header with length 8 is one frames_rejected{length_below_header} and one
    /// disconnect{bad_frame}; a length above max_pdu_bytes one {length_above_max}; a body that
    /// does not parse is one bodies_dropped and the connection stays.
    void framingFaultsAndBadBodiesAreCounted()
    {
        const std::uint16_t admin = startWithAdmin(adminProperties());
        FakeMsgServer& f1 = connectMsgServer();
        FakeMsgServer& f2 = connectMsgServer();

        Exposition before;
        Exposition after;
        std::tie(before, after) = closedForABadFrame(admin, tttest::makeRawFrame(7, 0x0701, 0, "", 8), "a length-8 header");
        assertDelta(before, after, "ttroute_frames_rejected_total", {{"reason", "length_below_header"}}, 1);
        assertDelta(before, after, "ttroute_frames_rejected_total", {{"reason", "length_above_max"}}, 0);
        assertDelta(before, after, "ttroute_disconnects_total", {{"reason", "bad_frame"}}, 1);
        assertDelta(before, after, "ttroute_disconnects_total", {{"reason", "eof"}}, 0);
        assertValue(after, "ttroute_connected_msg_servers", {}, 2);

        std::tie(before, after) = closedForABadFrame(admin, tttest::makeRawFrame(3, 0x0301, 0, "", 0x7FFFFFFF), "a 2 GiB header");
        assertDelta(before, after, "ttroute_frames_rejected_total", {{"reason", "length_above_max"}}, 1);
        assertDelta(before, after, "ttroute_frames_rejected_total", {{"reason", "length_below_header"}}, 0);
        assertDelta(before, after, "ttroute_disconnects_total", {{"reason", "bad_frame"}}, 1);
        assertValue(after, "ttroute_connected_msg_servers", {}, 2);

        // A USER_STATUS_UPDATE whose body is no protobuf message: dropped, the connection stays.
        before = settledMetrics(admin);
        f1.send(tttest::makeRawFrame(7, 0x070a, 0, std::string("\xff\xff\xff\xff", 4)));
        CPPUNIT_ASSERT(f1.sync().empty());
        CPPUNIT_ASSERT(f2.sync().empty());
        after = metricsAfterDelta(admin, before, "ttroute_bodies_dropped_total", {}, 1);
        assertDelta(before, after, "ttroute_bodies_dropped_total", {}, 1);
        assertDelta(before, after, "ttroute_received_pdus_total", {{"command", "user_status_update"}}, 1);
        assertDelta(before, after, "ttroute_notifications_total", {}, 0);
        assertDelta(before, after, "ttroute_status_queries_total", {}, 2);
        assertValue(after, "ttroute_connected_msg_servers", {}, 2);
        assertValue(after, "ttroute_online_users", {}, 0);
        for (const char* reason : {"eof", "bad_frame", "read_error"})
            assertDelta(before, after, "ttroute_disconnects_total", {{"reason", reason}}, 0);
        tttest::assertRelayed(f1, {&f2}, 1, "after the dropped body");
        stopCleanly();
    }

    /// Issue: a reload is tthost_config_reloads_total{result="applied"} +1; narrowing
    /// route.allow closes the 127.0.0.2 connection as disconnect{not_allowed} +1 and refuses
    /// the next one (connections_refused +1); a SIGHUP on an unchanged file is
    /// {result="unchanged"} +1; a broken file {result="rejected"} +1.
    void reloadsAndAllowlistAreCounted()
    {
        const std::uint16_t admin = startWithAdmin(adminProperties());
        FakeMsgServer& local = connectMsgServer();
        FakeMsgServer& other = connectMsgServer("127.0.0.2");
        Exposition before = settledMetrics(admin);
        assertValue(before, "ttroute_connected_msg_servers", {}, 2);

        const tttest::HostProperties narrowed = adminProperties().set("route.allow", "127.0.0.1/32");
        tttest::reloadFile(host(), narrowed.text(), {"route.allow: (unset) -> 127.0.0.1/32"});
        CPPUNIT_ASSERT_MESSAGE("the 127.0.0.2 connection stays open", other.waitClosed(5s));
        Exposition after = metricsAfterDelta(admin, before, "ttroute_disconnects_total", {{"reason", "not_allowed"}}, 1);
        assertDelta(before, after, "tthost_config_reloads_total", {{"result", "applied"}}, 1);
        assertDelta(before, after, "tthost_config_reloads_total", {{"result", "unchanged"}}, 0);
        assertDelta(before, after, "tthost_config_reloads_total", {{"result", "rejected"}}, 0);
        assertDelta(before, after, "ttroute_disconnects_total", {{"reason", "not_allowed"}}, 1);
        assertDelta(before, after, "ttroute_disconnects_total", {{"reason", "eof"}}, 0);
        assertValue(after, "ttroute_connected_msg_servers", {}, 1);

        before = after;
        FakeMsgServer refused(port(), "127.0.0.2");
        CPPUNIT_ASSERT_MESSAGE("a new 127.0.0.2 connection was not closed", refused.waitClosed(5s));
        after = metricsAfterDelta(admin, before, "ttroute_connections_refused_total", {}, 1);
        assertDelta(before, after, "ttroute_connections_refused_total", {}, 1);
        assertValue(after, "ttroute_connected_msg_servers", {}, 1);

        before = after;
        std::size_t mark = host().mark();
        host().process().signal(SIGHUP);
        host().waitForLine(mark, {"configuration re-read on SIGHUP: no value changed"});
        after = settledMetrics(admin);
        assertDelta(before, after, "tthost_config_reloads_total", {{"result", "unchanged"}}, 1);
        assertDelta(before, after, "tthost_config_reloads_total", {{"result", "applied"}}, 0);
        assertDelta(before, after, "tthost_config_reloads_total", {{"result", "rejected"}}, 0);

        before = after;
        mark = host().mark();
        host().rewrite(tttest::HostProperties(narrowed).set("route.idle_timeout", "soon").text());
        host().waitForLine(mark, {"configuration reload after ", " rejected, the running configuration stays in force: ", "route.idle_timeout"});
        after = settledMetrics(admin);
        assertDelta(before, after, "tthost_config_reloads_total", {{"result", "rejected"}}, 1);
        assertDelta(before, after, "tthost_config_reloads_total", {{"result", "applied"}}, 0);
        assertDelta(before, after, "tthost_config_reloads_total", {{"result", "unchanged"}}, 0);
        assertValue(after, "tthost_ready", {}, 1);
        CPPUNIT_ASSERT_EQUAL(std::string("1:2 "), query(local, {1}));
        stopCleanly();
    }

private:
    /// A third msg server, admitted beside the test's two, sends `frame` (`what` names it), which
    /// must close its connection as a bad frame. Returns the metrics settled before it was sent
    /// and those once the disconnect was counted.
    std::pair<Exposition, Exposition> closedForABadFrame(std::uint16_t admin, const std::string& frame, const std::string& what)
    {
        FakeMsgServer& bad = connectMsgServer();
        const Exposition before = settledMetrics(admin);
        assertValue(before, "ttroute_connected_msg_servers", {}, 3);
        bad.send(frame);
        CPPUNIT_ASSERT_MESSAGE(what + " did not close the connection", bad.waitClosed());
        return {before, metricsAfterDelta(admin, before, "ttroute_disconnects_total", {{"reason", "bad_frame"}}, 1)};
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(AdminMetricsCountsTest);
