// GET /metrics of the real tthost against the Prometheus text format 0.0.4: the suite's own
// format checker rejects every kind of malformed page (a checker that passes everything would
// prove nothing), and the page tthost serves passes it with every family, type and label set.
#include "AdminEndToEnd.h"
#include "MsgServerChecks.h"
#include "ProtocolConstants.h"
#include "ScrapedMetrics.h"
#include "ServingChecks.h"

#include <cppunit/extensions/HelperMacros.h>

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

using tttest::FakeMsgServer;
using namespace tttest::protocol;

class AdminMetricsFormatTest : public AdminEndToEnd
{
    CPPUNIT_TEST_SUITE(AdminMetricsFormatTest);
    CPPUNIT_TEST(expositionCheckerRejectsMalformedPages);
    CPPUNIT_TEST(metricsPageIsWellFormedAndComplete);
    CPPUNIT_TEST_SUITE_END();

public:
    /// The format checker this suite relies on accepts a good page and rejects each kind of
    /// malformed one: a checker that passes everything would prove nothing.
    void expositionCheckerRejectsMalformedPages()
    {
        const std::string good = "# HELP a_total Counts \\\\ things.\\nSecond line.\n# TYPE a_total counter\n"
                                 "a_total{x=\"1\",y=\"q\\\"uote\\\\\"} 3\na_total{x=\"2\"} 0\n"
                                 "# some comment\n# HELP g A gauge.\n# TYPE g gauge\ng 1.5\n"
                                 "# HELP h Another.\n# TYPE h gauge\nh{} -2e-3\nh{a=\"\"} +Inf\nh{a=\"b\"} NaN\n";
        const Exposition parsed = parseExposition(good);
        CPPUNIT_ASSERT_MESSAGE(joinLines(parsed.problems), parsed.problems.empty());
        CPPUNIT_ASSERT_EQUAL(3.0, parsed.value("a_total", {{"x", "1"}, {"y", "q\"uote\\"}}));
        CPPUNIT_ASSERT_EQUAL(1.5, parsed.value("g"));

        const std::string g = "# HELP g h\n# TYPE g gauge\n";
        const std::vector<std::pair<std::string, std::string>> bad{
            {"no HELP or TYPE", "g 1\n"},
            {"no TYPE", "# HELP g h\ng 1\n"},
            {"no HELP", "# TYPE g gauge\ng 1\n"},
            {"HELP twice", "# HELP g h\n" + g + "g 1\n"},
            {"TYPE twice", g + "# TYPE g gauge\ng 1\n"},
            {"TYPE after a sample", "# HELP g h\ng 1\n# TYPE g gauge\n"},
            {"HELP after a sample", "# TYPE g gauge\ng 1\n# HELP g h\n"},
            {"counter without _total", "# HELP c h\n# TYPE c counter\nc 1\n"},
            {"type summary", "# HELP s h\n# TYPE s summary\ns 1\n"},
            {"type untyped", "# HELP s h\n# TYPE s untyped\ns 1\n"},
            {"unquoted label value", g + "g{x=1} 1\n"},
            {"trailing comma", g + "g{x=\"1\",} 1\n"},
            {"bad label name", g + "g{1x=\"1\"} 1\n"},
            {"reserved label name", g + "g{__x=\"1\"} 1\n"},
            {"bad escape", g + "g{x=\"a\\qb\"} 1\n"},
            {"unterminated labels", g + "g{x=\"1\" 1\n"},
            {"label twice", g + "g{x=\"1\",x=\"2\"} 1\n"},
            {"not a number", g + "g abc\n"},
            {"a timestamp", g + "g 1 1700000000000\n"},
            {"two spaces", g + "g  1\n"},
            {"no value", g + "g\n"},
            {"bad metric name", "# HELP 1g h\n# TYPE 1g gauge\n1g 1\n"},
            {"a sample of another name", g + "gg 1\n"},
            {"families interleaved", g + "g{x=\"1\"} 1\n# HELP k h\n# TYPE k gauge\nk 1\ng{x=\"2\"} 1\n"},
            {"same labels twice", g + "g{x=\"1\"} 1\ng{x=\"1\"} 2\n"},
            {"negative counter", "# HELP c_total h\n# TYPE c_total counter\nc_total -1\n"},
            {"empty line", g + "g 1\n\n"},
            {"no final line feed", g + "g 1"},
            {"bad help escape", "# HELP g a \\t b\n# TYPE g gauge\ng 1\n"},
        };
        for (const auto& [what, page] : bad)
            CPPUNIT_ASSERT_MESSAGE("accepted: " + what + ":\n" + page, !parseExposition(page).problems.empty());
    }

    /// Issue: /metrics has the 0.0.4 content type, passes the strict format check, and has
    /// every host and ttroute family with its type and its whole label set; uptime > 0,
    /// ready 1, the connected count right.
    void metricsPageIsWellFormedAndComplete()
    {
        const std::uint16_t admin = startWithAdmin(adminProperties());
        FakeMsgServer& a = connectMsgServer();
        FakeMsgServer& b = connectMsgServer();
        tttest::assertPcLoginHeardByAll(a, {&b}, 1, kWindows, "before the scrape");
        tttest::assertRelayed(a, {&b}, 1, "before the scrape");

        const Exposition page = settledMetrics(admin);
        const std::map<std::string, std::string> types{
            {"tthost_uptime_seconds", "gauge"},
            {"tthost_ready", "gauge"},
            {"tthost_config_reloads_total", "counter"},
            {"ttroute_connected_msg_servers", "gauge"},
            {"ttroute_online_users", "gauge"},
            {"ttroute_online_logins", "gauge"},
            {"ttroute_received_pdus_total", "counter"},
            {"ttroute_received_bytes_total", "counter"},
            {"ttroute_sent_pdus_total", "counter"},
            {"ttroute_sent_bytes_total", "counter"},
            {"ttroute_relayed_pdus_total", "counter"},
            {"ttroute_relay_unaddressed_total", "counter"},
            {"ttroute_status_queries_total", "counter"},
            {"ttroute_status_query_ids_total", "counter"},
            {"ttroute_notifications_total", "counter"},
            {"ttroute_bodies_dropped_total", "counter"},
            {"ttroute_frames_ignored_total", "counter"},
            {"ttroute_connections_refused_total", "counter"},
            {"ttroute_frames_rejected_total", "counter"},
            {"ttroute_disconnects_total", "counter"},
            {"ttroute_outbox_queued_bytes", "gauge"},
            {"ttroute_outbox_queued_bytes_high_water", "gauge"},
            {"ttroute_peer_loss_users_total", "counter"},
            {"ttroute_peer_loss_pending_users", "gauge"},
            {"ttroute_peer_loss_remembered_users", "gauge"},
            {"ttroute_peer_loss_healed_users_total", "counter"},
            {"ttroute_status_updates_unannounced_total", "counter"},
        };
        for (const auto& [name, type] : types)
        {
            const auto family = page.families.find(name);
            CPPUNIT_ASSERT_MESSAGE("no family " + name + ":\n" + page.text, family != page.families.end());
            CPPUNIT_ASSERT_EQUAL_MESSAGE(name, type, family->second.type);
            CPPUNIT_ASSERT_MESSAGE("no sample of " + name, !family->second.samples.empty());
        }
        for (const auto& [name, family] : page.families)
            CPPUNIT_ASSERT_MESSAGE("a family this suite does not know: " + name, types.count(name) == 1);

        using Set = std::set<std::string>;
        CPPUNIT_ASSERT(Set({"applied", "unchanged", "rejected"}) == page.labelValues("tthost_config_reloads_total", "result"));
        CPPUNIT_ASSERT(Set({"windows", "mac", "ios", "android"}) == page.labelValues("ttroute_online_logins", "client_type"));
        const Set commands{"heartbeat",
                           "role_set",
                           "online_user_info",
                           "user_status_update",
                           "login_status_notify",
                           "server_kick_user",
                           "buddy_list_status_notify",
                           "users_status_request",
                           "users_status_response",
                           "remove_session_notify",
                           "sign_info_changed_notify",
                           "msg_data",
                           "msg_read_notify",
                           "group_change_member_notify",
                           "file_notify",
                           "switch_p2p_cmd",
                           "other"};
        for (const char* name : {"ttroute_received_pdus_total", "ttroute_received_bytes_total", "ttroute_sent_pdus_total", "ttroute_sent_bytes_total"})
            CPPUNIT_ASSERT_MESSAGE(name, commands == page.labelValues(name, "command"));
        CPPUNIT_ASSERT(Set({"length_below_header", "length_above_max"}) == page.labelValues("ttroute_frames_rejected_total", "reason"));
        CPPUNIT_ASSERT(Set({"eof", "read_error", "write_error", "idle_timeout", "queue_overflow", "bad_frame", "not_allowed", "internal_error",
                            "evicted", "drained", "shutdown"}) == page.labelValues("ttroute_disconnects_total", "reason"));
        CPPUNIT_ASSERT(Set({"held", "announced", "came_back", "forgotten", "not_held"}) ==
                       page.labelValues("ttroute_peer_loss_users_total", "outcome"));

        CPPUNIT_ASSERT_MESSAGE(page.text, page.value("tthost_uptime_seconds") > 0);
        assertValue(page, "tthost_ready", {}, 1);
        for (const char* result : {"applied", "unchanged", "rejected"})
            assertValue(page, "tthost_config_reloads_total", {{"result", result}}, 0);
        assertValue(page, "ttroute_connected_msg_servers", {}, 2);
        assertValue(page, "ttroute_online_users", {}, 1);
        assertValue(page, "ttroute_online_logins", {{"client_type", "windows"}}, 1);
        assertValue(page, "ttroute_relayed_pdus_total", {}, 1);
        stopCleanly();
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(AdminMetricsFormatTest);
