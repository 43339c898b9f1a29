// The status page (GET / of the admin endpoint) as a browser shows it (e2e_status_page): the
// real tthost with fake msg servers carrying known users and traffic, the page loaded in
// headless Chromium and the rendered DOM checked against what the traffic, the configuration
// file and the JSON endpoints say it must show: version, relay mode, readiness, each msg
// server's users and logins by client type, the online users, a disconnect and its reason, the
// charts' counts, a configuration key and the last reload. Loopback only, ephemeral ports only;
// conditions are waited for, never times.
#include "AdminHttp.h"
#include "AdminJson.h"
#include "HeadlessChromium.h"
#include "HostFixture.h"
#include "Logins.h"
#include "PageChecks.h"
#include "PollUntil.h"
#include "ProtocolConstants.h"
#include "StatusPageDom.h"
#include "StatusPageEndToEnd.h"
#include "WireFrames.h"

#include <Poco/JSON/Array.h>

#include <cppunit/extensions/HelperMacros.h>

#include <iostream>
#include <map>

using tttest::addressOf;
using tttest::FakeMsgServer;
using tttest::logIn;
using tttest::pollUntil;
using namespace tttest::protocol;

namespace
{

/// The samples of /history; null when it is not served.
Poco::JSON::Array::Ptr historySamples(std::uint16_t admin)
{
    const auto history = jsonIfServed(admin, "/history");
    return history && history->isArray("samples") ? history->getArray("samples") : nullptr;
}

/// The sum of pdus[`command`] over the samples of /history; -1 when it is not served.
long long historyTotal(std::uint16_t admin, const std::string& command)
{
    const auto samples = historySamples(admin);
    if (!samples)
        return -1;
    long long total = 0;
    for (std::size_t i = 0; i < samples->size(); ++i)
    {
        const auto sample = samples->getObject(static_cast<unsigned>(i));
        if (sample && sample->isObject("pdus") && sample->getObject("pdus")->has(command))
            total += sample->getObject("pdus")->getValue<long long>(command);
    }
    return total;
}

} // namespace

class StatusPageEndToEndTest : public tttest::HostFixture
{
    CPPUNIT_TEST_SUITE(StatusPageEndToEndTest);
    CPPUNIT_TEST(renderedPageShowsServersUsersTrafficAndConfiguration);
    CPPUNIT_TEST_SUITE_END();

public:
    /// Issue: with two msg servers connected (known users and logins by client type, MSG_DATA
    /// from one to the other, status queries) and a third gone (eof), and the configuration
    /// reloaded once, the rendered page shows the version, relay mode, readiness, both
    /// servers with their users and logins per client type, the online users, the disconnect
    /// and its reason, the msg_data chart's count, the configuration key's new value and the
    /// reload; no error banner, and nothing in the rendered DOM refers elsewhere.
    void renderedPageShowsServersUsersTrafficAndConfiguration()
    {
        requireChromium();
        const std::uint16_t admin = startWithAdmin(config());
        // The history counts what came after its first look at the counters, taken by a thread
        // of its own: the traffic waits for a sample, so all of it is counted.
        const bool historyServed = historySamples(admin) != nullptr;
        if (historyServed)
            pollUntil("/history had a sample", [&] {
                const auto samples = historySamples(admin);
                return samples && samples->size() > 0;
            });

        FakeMsgServer& a = connectMsgServer();
        FakeMsgServer& b = connectMsgServer();
        FakeMsgServer& c = connectMsgServer();
        // A: 101 on windows, 102 on windows and android, 103 on ios.
        logIn(a, {{101, kWindows}, {102, kWindows}, {102, kAndroid}, {103, kIos}});
        // B: 201 on mac, 202 on two windows devices.
        logIn(b, {{201, kMac}, {202, kWindows}, {202, kWindows}});
        // C: 301 on windows, then gone.
        logIn(c, 301, kWindows);
        const std::string addressA = addressOf(a), addressB = addressOf(b), addressC = addressOf(c);
        c.close();
        // MSG_DATA from 101 on A to 201 on B: relayed to B only (targeted).
        constexpr int kMessages = 25;
        for (int i = 0; i < kMessages; ++i)
            a.send(tttest::msgData(101, 201, static_cast<std::uint32_t>(1000 + i), "status page " + std::to_string(i)));
        a.sync();
        // B also hears of C's user (notifications), whenever they come: only MSG_DATA counts.
        std::size_t relayed = 0;
        pollUntil("B received every MSG_DATA", [&] {
            for (const auto& frame : b.sync())
                relayed += frame.commandId == kMsgData ? 1 : 0;
            return relayed >= static_cast<std::size_t>(kMessages);
        });
        CPPUNIT_ASSERT_EQUAL(static_cast<std::size_t>(kMessages), relayed);

        // The configuration reloaded once: a changed key, and "applied" as the last result.
        const std::size_t mark = host().mark();
        host().rewrite(config().set("route.max_status_query_ids", "778").text());
        host().waitForLine(mark, {"configuration reloaded", "route.max_status_query_ids: 777 -> 778"});

        // Wait until the endpoints say what the traffic did, where they are served.
        const auto hostJson = jsonIfServed(admin, "/host");
        CPPUNIT_ASSERT_MESSAGE("GET /host", hostJson);
        const std::string version = hostJson->getValue<std::string>("version");
        const bool statusServed = jsonIfServed(admin, "/status") != nullptr;
        if (statusServed)
            pollUntil("/status counted 2 msg servers and 5 users", [&] {
                const auto status = jsonIfServed(admin, "/status");
                return status && status->getValue<int>("msg_servers") == 2 && status->getValue<int>("online_users") == 5;
            });
        const bool disconnectsServed = jsonIfServed(admin, "/disconnects") != nullptr;
        if (disconnectsServed)
            pollUntil("/disconnects listed C", [&] {
                return tttest::http(admin, "/disconnects").body.find("\"" + addressC + "\"") != std::string::npos;
            });
        if (historyServed)
            pollUntil("/history summed to " + std::to_string(kMessages) + " msg_data",
                      [&] { return historyTotal(admin, "msg_data") == kMessages; });

        const RenderedPage page = renderPage("http://127.0.0.1:" + std::to_string(admin) + "/");
        const std::string& dom = page.dom;
        std::cout << "\n  [status page: rendered in " << page.seconds << " s; /status " << (statusServed ? "served" : "NOT served")
                  << ", /disconnects " << (disconnectsServed ? "served" : "NOT served") << ", /history "
                  << (historyServed ? "served" : "NOT served") << "] " << std::flush;

        Checks checks;
        const std::string body = dom.substr(dom.find("<body"));
        checks.expectEqual("true", attribute(body, "data-loaded"), "the page loaded its data (body data-loaded)");
        const std::string banner = element(dom, "id", "banner");
        checks.expect(attribute(banner, "hidden") == "" && attribute(banner, "data-state") == "ok",
                      "no error banner: " + banner);
        checks.expectEqual(version, textById(dom, "version"), "version");
        checks.expectEqual("targeted", textById(dom, "relay-mode"), "relay mode (needs /status)");
        checks.expectEqual("true", attribute(element(dom, "id", "readiness"), "data-ready"), "readiness");
        checks.expectEqual("ready", textById(dom, "readiness"), "readiness text");
        checks.expectEqual("5", attribute(element(dom, "id", "online-users"), "data-value"), "online users (needs /status)");
        checks.expectEqual("2", textById(dom, "msg-servers"), "msg servers tile");

        // The msg servers table: A and B with their users and logins per client type.
        const std::string peers = element(dom, "id", "peers-body");
        const std::string count = element(dom, "id", "peer-count");
        checks.expectEqual("2", attribute(count, "data-total"), "msg servers listed");
        checks.expect(element(peers, "data-address", addressC).empty(), "C, which is gone, is not listed");
        struct Expected
        {
            std::string name, address, users;
            std::map<std::string, std::string> logins;
        };
        for (const Expected& expected : {Expected{"A", addressA, "3", {{"windows", "2"}, {"mac", "0"}, {"ios", "1"}, {"android", "1"}}},
                                         Expected{"B", addressB, "2", {{"windows", "2"}, {"mac", "1"}, {"ios", "0"}, {"android", "0"}}}})
        {
            const std::string row = element(peers, "data-address", expected.address);
            checks.expect(!row.empty(), expected.name + " (" + expected.address + ") is listed");
            if (row.empty())
                continue;
            checks.expectEqual(expected.address, text(element(row, "data-col", "address")), expected.name + " address cell");
            checks.expectEqual(expected.users, text(element(row, "data-col", "users")), expected.name + " users (needs users_hosted)");
            for (const auto& [type, logins] : expected.logins)
                checks.expectEqual(logins, text(element(row, "data-col", "logins_" + type)),
                                   expected.name + " " + type + " logins (needs the extended /peers)");
        }

        // The disconnect of C, with its reason.
        const std::string disconnect = element(element(dom, "id", "disconnects-body"), "data-address", addressC);
        checks.expect(!disconnect.empty(), "the disconnect of C (" + addressC + ") is listed (needs /disconnects)");
        if (!disconnect.empty())
        {
            checks.expectEqual("eof", attribute(disconnect, "data-reason"), "C's disconnect reason");
            checks.expectEqual("eof", text(element(disconnect, "data-col", "reason")), "C's disconnect reason as shown");
        }

        // Charts: the msg_data chart counts exactly the MSG_DATA sent; status queries have one.
        const std::string msgChart = element(dom, "data-chart", "pdus:msg_data");
        checks.expect(!msgChart.empty(), "a msg_data chart (needs /history)");
        checks.expectEqual(std::to_string(kMessages), attribute(msgChart, "data-total"), "msg_data PDUs charted (needs /history)");
        checks.expect(!element(dom, "data-chart", "status_queries").empty(), "a status queries chart (needs /history)");

        // Configuration: the key's value now, and the reload that changed it.
        const std::string key = element(element(dom, "id", "config-body"), "data-key", "route.max_status_query_ids");
        checks.expectEqual("778", text(element(key, "data-col", "value")), "route.max_status_query_ids in the configuration table");
        checks.expectEqual("applied", attribute(element(dom, "id", "config-reload"), "data-result"), "the last reload's result");
        checks.expect(textById(dom, "config-reload-message").find("route.max_status_query_ids: 777 -> 778") != std::string::npos,
                      "the last reload's message: " + textById(dom, "config-reload-message"));
        checks.expect(textById(dom, "config-reload-when").find("at ") == 0, "the last reload's time: " + textById(dom, "config-reload-when"));

        checks.expect(externalReferences(dom).empty(), "the rendered DOM refers elsewhere:\n" + externalReferences(dom));
        checks.assertAll(dom);

        a.close();
        b.close();
        stopCleanly();
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(StatusPageEndToEndTest);
