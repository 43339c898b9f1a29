// What ttctl shows of the running tthost (e2e_ctl): `ttctl status`, `ttctl peers` and `ttctl
// user` checked against the traffic fake msg servers drove and against the server's own JSON,
// and --json, one object on one line, for every command but trace.
#include "AdminHttp.h"
#include "AdminJson.h"
#include "CtlEndToEnd.h"
#include "CtlOutput.h"
#include "CtlRun.h"
#include "HostFixture.h"
#include "Logins.h"
#include "PollUntil.h"
#include "ProtocolConstants.h"
#include "TrafficLedger.h"
#include "WireFrames.h"

#include <Poco/JSON/Array.h>

#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <regex>
#include <set>
#include <sstream>

using tttest::addressOf;
using tttest::FakeMsgServer;
using tttest::logIn;
using tttest::TrafficLedger;
using namespace tttest::protocol;
using namespace std::chrono_literals;

namespace
{

/// Whether /peers counts, for each of `ledgers`, exactly the PDUs its ledger says went each way.
bool peersCountExactly(std::uint16_t admin, const std::vector<TrafficLedger*>& ledgers)
{
    const auto peers = tttest::peersByAddress(admin);
    for (TrafficLedger* ledger : ledgers)
    {
        const auto found = peers.find(addressOf(ledger->fake()));
        if (found == peers.end() || found->second->getValue<std::uint64_t>("pdus_in") != ledger->pdusIn() ||
            found->second->getValue<std::uint64_t>("pdus_out") != ledger->pdusOut())
            return false;
    }
    return true;
}

/// What `ledgers` expect of /peers, and what /peers says, for the message of a wait in vain.
std::string expectedAndActualCounts(std::uint16_t admin, const std::vector<TrafficLedger*>& ledgers)
{
    std::string expected = "/peers counts every PDU sent and received; expected (address pdus_in pdus_out):";
    for (TrafficLedger* ledger : ledgers)
        expected += " " + addressOf(ledger->fake()) + " " + std::to_string(ledger->pdusIn()) + " " + std::to_string(ledger->pdusOut());
    std::ostringstream json;
    tttest::getJson(admin, "/peers")->stringify(json);
    return expected + "; /peers: " + json.str();
}

} // namespace

class CtlEndToEndTest : public tttest::HostFixture
{
    CPPUNIT_TEST_SUITE(CtlEndToEndTest);
    CPPUNIT_TEST(statusShowsHostAndRouteServer);
    CPPUNIT_TEST(peersMatchTheTraffic);
    CPPUNIT_TEST(userShowsLoginsByMsgServerAndClientType);
    CPPUNIT_TEST(jsonOutputParses);
    CPPUNIT_TEST_SUITE_END();

public:
    /// `ttctl status`: version, uptime, readiness, relay mode, msg servers, online users,
    /// logins by client type, the configuration file and the last reload, as the traffic
    /// and the server's own JSON have them.
    void statusShowsHostAndRouteServer()
    {
        const std::uint16_t admin = startWithAdmin(config());
        FakeMsgServer& f1 = connectMsgServer();
        FakeMsgServer& f2 = connectMsgServer();
        logIn(f1, {{10, kWindows}, {11, kAndroid}});
        logIn(f2, {{12, kMac}, {12, kIos}});

        const CtlRun run = runCtl(at(admin, {"status"}));
        assertSuccess(run);
        const auto fields = parseFields(run.out);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(run.out, std::string(TTROUTE_VERSION), field(fields, "version", run.out));
        CPPUNIT_ASSERT_MESSAGE(run.out, std::regex_match(field(fields, "uptime", run.out), std::regex("([0-9.]+s|[0-9]+m [0-9]+s), since [0-9T:-]+Z")));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(run.out, std::string("yes"), field(fields, "ready", run.out));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(run.out, std::string("broadcast"), field(fields, "relay mode", run.out));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(run.out, std::string("2"), field(fields, "msg servers", run.out));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(run.out, std::string("3"), field(fields, "online users", run.out));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(run.out, std::string("windows 1, mac 1, ios 1, android 1"), field(fields, "logins", run.out));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(run.out, std::string("none"), field(fields, "traces", run.out));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(run.out, host().configPath(), field(fields, "config file", run.out));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(run.out, std::string("none"), field(fields, "last reload", run.out));

        // A reload shows up as the last one, with its result and message.
        rewriteBehindTheWatcher(host().configPath(), "route.idle_timeout = 1h\n", "route.idle_timeout = xx\n");
        assertFailure(runCtl(at(admin, {"reload"})), 1, {"route.idle_timeout"});
        const CtlRun after = runCtl(at(admin, {"status"}));
        assertSuccess(after);
        const std::string last = field(parseFields(after.out), "last reload", after.out);
        CPPUNIT_ASSERT_MESSAGE(after.out, std::regex_search(last, std::regex("^rejected at [0-9T:-]+Z: configuration reload .*route\\.idle_timeout")));
        // (The watcher rejects the file too if its look falls between the write and the restore.)
        CPPUNIT_ASSERT_MESSAGE(after.out, std::regex_match(field(parseFields(after.out), "reloads", after.out), std::regex("0 applied, 0 unchanged, [12] rejected")));
        stopCleanly();
    }

    /// `ttctl peers`: a row per msg server, with exactly the PDUs it sent and received, its
    /// users and logins, and its role once it said it.
    void peersMatchTheTraffic()
    {
        const std::uint16_t admin = startWithAdmin(config());
        {
            const CtlRun none = runCtl(at(admin, {"peers"}));
            assertSuccess(none);
            CPPUNIT_ASSERT_EQUAL(std::string("no msg server is connected\n"), none.out);
        }
        // Each msg server's PDUs go through a ledger of what the server must count for it.
        TrafficLedger f1(connectSilentMsgServer());
        TrafficLedger f2(connectSilentMsgServer());
        TrafficLedger f3(connectSilentMsgServer());
        const std::vector<TrafficLedger*> fakes{&f1, &f2, &f3};
        for (TrafficLedger* fake : fakes)
            fake->sync();
        f1.send(tttest::roleSet(true));
        f2.send(tttest::roleSet(false));
        f1.send(tttest::statusUpdate(10, kOnline, kWindows));
        f1.send(tttest::statusUpdate(11, kOnline, kAndroid));
        f1.send(tttest::statusUpdate(11, kOnline, kAndroid));
        f2.send(tttest::statusUpdate(12, kOnline, kMac));
        f3.send(tttest::msgData(10, 12, 1, "hello"));
        // After one round every PDU sent has been routed; the second collects what the round
        // itself left on its way to the msg servers synced before the others' PDUs were routed.
        for (int round = 0; round < 2; ++round)
            for (TrafficLedger* fake : fakes)
                fake->sync();

        // The counters are the server's; they must come to exactly the traffic.
        tttest::pollUntil([&] { return expectedAndActualCounts(admin, fakes); }, [&] { return peersCountExactly(admin, fakes); });
        const auto json = tttest::peersByAddress(admin);

        const CtlRun run = runCtl(at(admin, {"peers"}));
        assertSuccess(run);
        const auto rows = parseTable(run.out);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(run.out, std::size_t(3), rows.size());
        const std::vector<std::string> headers{"ID", "ADDRESS", "CONNECTED SINCE", "USERS", "LOGINS", "PDUS IN", "BYTES IN", "PDUS OUT",
                                               "BYTES OUT", "QUEUED", "LAST RECEIVE", "ROLE"};
        CPPUNIT_ASSERT_MESSAGE(run.out, cells(lines(run.out).front()) == headers);
        struct Expected
        {
            const TrafficLedger* traffic;
            std::string users, logins, role;
        };
        for (const Expected& expected : {Expected{&f1, "2", "windows=1,android=2", "master"}, Expected{&f2, "1", "mac=1", "non-master"},
                                         Expected{&f3, "0", "-", "-"}})
        {
            const TrafficLedger& traffic = *expected.traffic;
            const std::string address = addressOf(traffic.fake());
            const auto row = std::find_if(rows.begin(), rows.end(), [&](const Row& r) { return r.at("ADDRESS") == address; });
            CPPUNIT_ASSERT_MESSAGE("no row for " + address + ":\n" + run.out, row != rows.end());
            const auto& peer = json.at(address);
            const std::string context = address + " in\n" + run.out;
            CPPUNIT_ASSERT_EQUAL_MESSAGE(context, peer->get("id").toString(), row->at("ID"));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(context, expected.users, row->at("USERS"));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(context, expected.logins, row->at("LOGINS"));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(context, std::to_string(traffic.pdusIn()), row->at("PDUS IN"));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(context, std::to_string(traffic.bytesIn()) + "B", row->at("BYTES IN"));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(context, std::to_string(traffic.pdusOut()), row->at("PDUS OUT"));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(context, peer->get("bytes_out").toString() + "B", row->at("BYTES OUT"));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(context, std::string("0B"), row->at("QUEUED"));
            CPPUNIT_ASSERT_MESSAGE(context, std::regex_match(row->at("CONNECTED SINCE"), std::regex("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z")));
            CPPUNIT_ASSERT_MESSAGE(context, std::regex_match(row->at("LAST RECEIVE"), std::regex("[0-9.]+s ago")));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(context, expected.role, row->at("ROLE"));
        }
        stopCleanly();
    }

    /// `ttctl user A B`: a row per (user, msg server, client type) with the count and the
    /// user's status; a user online nowhere is one row, offline.
    void userShowsLoginsByMsgServerAndClientType()
    {
        const std::uint16_t admin = startWithAdmin(config());
        FakeMsgServer& f1 = connectMsgServer();
        FakeMsgServer& f2 = connectMsgServer();
        logIn(f1, {{100, kWindows}, {100, kWindows}, {100, kAndroid}});
        logIn(f2, {{100, kMac}, {101, kIos}});
        const std::string id1 = idOf(admin, f1), id2 = idOf(admin, f2);

        const CtlRun run = runCtl(at(admin, {"user", "100", "101", "999999"}));
        assertSuccess(run);
        const auto rows = parseTable(run.out);
        CPPUNIT_ASSERT_MESSAGE(run.out, cells(lines(run.out).front()) ==
                                            std::vector<std::string>({"USER", "STATUS", "PEER", "ADDRESS", "CLIENT TYPE", "LOGINS"}));
        std::multiset<std::string> got;
        for (const Row& row : rows)
            got.insert(row.at("USER") + " " + row.at("STATUS") + " " + row.at("PEER") + " " + row.at("ADDRESS") + " " + row.at("CLIENT TYPE") +
                       " " + row.at("LOGINS"));
        const std::multiset<std::string> expected{
            "100 online " + id1 + " " + addressOf(f1) + " windows 2",
            "100 online " + id1 + " " + addressOf(f1) + " android 1",
            "100 online " + id2 + " " + addressOf(f2) + " mac 1",
            "101 offline " + id2 + " " + addressOf(f2) + " ios 1", // mobile only: offline, as a status query answers
            "999999 offline - - - -",
        };
        CPPUNIT_ASSERT_MESSAGE(run.out, expected == got);
        stopCleanly();
    }

    /// --json prints the server's JSON, one object on one line, for every command but trace;
    /// status combines /host and /status.
    void jsonOutputParses()
    {
        const std::uint16_t admin = startWithAdmin(config());
        FakeMsgServer& f1 = connectMsgServer();
        FakeMsgServer& f2 = connectMsgServer();
        logIn(f1, 30, kWindows);
        f2.sync();

        const CtlRun status = runCtl(at(admin, {"--json", "status"}));
        assertSuccess(status);
        const auto combined = jsonLine(status.out);
        CPPUNIT_ASSERT_MESSAGE(status.out, combined->isObject("host") && combined->isObject("route"));
        CPPUNIT_ASSERT_EQUAL(std::string(TTROUTE_VERSION), combined->getObject("host")->getValue<std::string>("version"));
        CPPUNIT_ASSERT_EQUAL(2, combined->getObject("route")->getValue<int>("msg_servers"));

        const CtlRun peers = runCtl(at(admin, {"peers", "--json"}));
        assertSuccess(peers);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), jsonLine(peers.out)->getArray("peers")->size());

        const CtlRun user = runCtl(at(admin, {"--json", "user", "30"}));
        assertSuccess(user);
        const auto users = jsonLine(user.out)->getArray("users");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), users->size());
        CPPUNIT_ASSERT_EQUAL(std::string("online"), users->getObject(0)->getValue<std::string>("status"));

        const CtlRun reload = runCtl(at(admin, {"--json", "reload"}));
        assertSuccess(reload);
        CPPUNIT_ASSERT_EQUAL(std::string("unchanged"), jsonLine(reload.out)->getValue<std::string>("result"));

        const CtlRun drain = runCtl(at(admin, {"--json", "drain", idOf(admin, f2)}));
        assertSuccess(drain);
        CPPUNIT_ASSERT_EQUAL(addressOf(f2), jsonLine(drain.out)->getObject("drained")->getValue<std::string>("remote_address"));
        CPPUNIT_ASSERT(f2.waitClosed(20s));
        stopCleanly();
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(CtlEndToEndTest);
