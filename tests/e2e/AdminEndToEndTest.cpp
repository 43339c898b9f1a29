// The admin endpoint of the real tthost itself, fetched over loopback while fake msg servers
// drive traffic: /healthz and /readyz while it serves (keep-alive too), /readyz 503 while a
// SIGTERM drains, 404 for unknown paths and 405 for other methods, the endpoint moved and closed
// by a reload with route traffic unaffected, and no endpoint at all when host.admin.listen is
// empty. Loopback only, ephemeral ports only; every child process is killed if a test fails.
// The metrics (AdminMetrics*Test.cpp), /peers and /presence (AdminPeersPresenceTest.cpp) have
// files of their own.
#include "AdminEndToEnd.h"
#include "ConfigReloads.h"
#include "LogLines.h"
#include "LoopbackSockets.h"
#include "MsgServerChecks.h"
#include "PollUntil.h"
#include "ProtocolConstants.h"
#include "QueuedRelay.h"
#include "ScrapedMetrics.h"
#include "ServingChecks.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <cppunit/extensions/HelperMacros.h>

#include <chrono>
#include <csignal>
#include <string>

using tttest::describe;
using tttest::FakeMsgServer;
using tttest::http;
using tttest::HttpReply;
using tttest::jsonObject;
using tttest::query;
using namespace tttest::protocol;
using namespace std::chrono_literals;

class AdminEndToEndTest : public AdminEndToEnd
{
    CPPUNIT_TEST_SUITE(AdminEndToEndTest);
    CPPUNIT_TEST(healthAndReadinessWhileServing);
    CPPUNIT_TEST(readyzAnswers503WhileDraining);
    CPPUNIT_TEST(unknownPathIs404AndNonGetIs405);
    CPPUNIT_TEST(adminListenMovesAndClosesOnReload);
    CPPUNIT_TEST(noAdminEndpointWhenListenIsEmpty);
    CPPUNIT_TEST_SUITE_END();

public:
    /// Issue: /healthz answers 200 and /readyz 200 while tthost serves, both with JSON.
    void healthAndReadinessWhileServing()
    {
        const std::uint16_t admin = startWithAdmin(adminProperties());
        connectMsgServer();
        for (const char* path : {"/healthz", "/readyz"})
        {
            const HttpReply reply = http(admin, path);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(describe(path, reply), 200, reply.status);
            CPPUNIT_ASSERT_MESSAGE(describe(path, reply), reply.contentType.rfind("application/json", 0) == 0);
            const auto object = jsonObject(reply.body);
            CPPUNIT_ASSERT_MESSAGE(describe(path, reply), object->has("status") && object->get("status").isString());
        }
        // The same connection may ask again (keep-alive).
        Poco::Net::HTTPClientSession session("127.0.0.1", admin);
        session.setTimeout(Poco::Timespan(10, 0));
        for (int round = 0; round < 3; ++round)
        {
            Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, "/healthz", Poco::Net::HTTPMessage::HTTP_1_1);
            session.sendRequest(request);
            Poco::Net::HTTPResponse response;
            std::string body;
            Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(body, 200, static_cast<int>(response.getStatus()));
        }
        stopCleanly();
    }

    /// Issue: with host.drain_timeout = 5s, a msg server that never reads and megabytes of
    /// relayed MSG_DATA queued for it, SIGTERM starts a drain with work to wait for; /readyz
    /// answers 503 before the process exits (the admin endpoint stays up meanwhile, and
    /// tthost_ready reads 0); tthost then exits 0.
    void readyzAnswers503WhileDraining()
    {
        const std::uint16_t admin = startWithAdmin(adminProperties().set("host.drain_timeout", "5s").set("route.max_outbox_bytes", "512M"));
        // At least 8 MiB, and 4 MiB beyond what the kernel's buffers hold, wait in the outbox.
        tttest::QueuedRelay relay(port(), 8u << 20, 4u << 20);
        const Exposition queued = settledMetrics(admin);
        CPPUNIT_ASSERT_MESSAGE(queued.text, queued.value("ttroute_outbox_queued_bytes") > 0);
        assertValue(queued, "tthost_ready", {}, 1);
        const HttpReply ready = http(admin, "/readyz");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(describe("/readyz", ready), 200, ready.status);

        const std::size_t mark = host().mark();
        host().process().signal(SIGTERM);
        HttpReply draining;
        std::string lastError;
        int status = -1; // the exit status, once seen
        tttest::pollUntil(
            [&] { return "/readyz 503 after SIGTERM (last error: " + lastError + "); the log:\n" + host().log(); },
            [&] {
                try
                {
                    draining = http(admin, "/readyz");
                    return draining.status == 503;
                }
                catch (const Poco::Exception& error)
                {
                    lastError = error.displayText();
                    status = host().process().wait(0ms);
                    return !host().process().running(); // exited without /readyz ever saying 503
                }
            },
            20s);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("/readyz after SIGTERM, before the exit (last error: " + lastError + "); the log:\n" + host().log(), 503,
                                     draining.status);
        const auto notReady = jsonObject(draining.body);
        CPPUNIT_ASSERT_MESSAGE(draining.body, notReady->has("status") && notReady->get("status").isString());
        CPPUNIT_ASSERT_MESSAGE("/readyz said 503 but no stop was logged:\n" + host().log(),
                               !tttest::linesWith(host().log(), {"received Terminated, stopping"}, mark).empty());

        // The endpoint is still up while the drain waits (unless the drain just ended, which the exit shows).
        try
        {
            const HttpReply health = http(admin, "/healthz");
            CPPUNIT_ASSERT_EQUAL_MESSAGE(describe("/healthz", health), 200, health.status);
            const Exposition page = scrape(admin);
            assertValue(page, "tthost_ready", {}, 0);
        }
        catch (const Poco::Exception& error)
        {
            // Acceptable only because the drain just ended: then tthost exits now.
            if (host().process().running())
                status = host().process().wait(15s);
            CPPUNIT_ASSERT_MESSAGE("the admin endpoint failed (" + error.displayText() + ") but tthost does not exit; the log:\n" + host().log(),
                                   !host().process().running());
        }

        if (host().process().running())
            status = host().process().wait(25s);
        if (host().process().running())
        {
            host().process().signal(SIGKILL);
            host().process().wait(5s);
        }
        CPPUNIT_ASSERT_EQUAL_MESSAGE(host().log(), 0, status);
    }

    /// Issue: an unknown path is 404 with a JSON body; POST (and other methods) are 405 with
    /// Allow: GET.
    void unknownPathIs404AndNonGetIs405()
    {
        const std::uint16_t admin = startWithAdmin(adminProperties());
        for (const std::string path : {"/nope", "/index.html", "/metrics/extra", "/peers/1", "/METRICS"})
            assertJsonError(path, http(admin, path), 404);
        for (const std::string& method : {Poco::Net::HTTPRequest::HTTP_POST, Poco::Net::HTTPRequest::HTTP_PUT, Poco::Net::HTTPRequest::HTTP_DELETE})
        {
            const HttpReply reply = http(admin, "/metrics", method);
            assertJsonError(method + " /metrics", reply, 405);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(method + " " + describe("/metrics", reply), std::string("GET"), reply.allow);
        }
        const HttpReply post = http(admin, "/healthz", Poco::Net::HTTPRequest::HTTP_POST);
        CPPUNIT_ASSERT_EQUAL(405, post.status);
        CPPUNIT_ASSERT_EQUAL(std::string("GET"), post.allow);
        // Still serving.
        CPPUNIT_ASSERT_EQUAL(200, http(admin, "/healthz").status);
        stopCleanly();
    }

    /// Issue: host.admin.listen changed by a reload to a port found free: the new port answers
    /// /healthz, the old one refuses; then set empty: "admin endpoint closed", the port
    /// refuses, and route traffic goes on unaffected.
    void adminListenMovesAndClosesOnReload()
    {
        const std::uint16_t oldAdmin = startWithAdmin(adminProperties());
        FakeMsgServer& a = connectMsgServer();
        FakeMsgServer& b = connectMsgServer();
        tttest::assertPcLoginHeardByAll(a, {&b}, 600, kWindows, "before the admin endpoint moved");
        CPPUNIT_ASSERT_EQUAL(200, http(oldAdmin, "/healthz").status);

        const std::uint16_t newAdmin = tttest::freePort();
        const std::string newAddress = "127.0.0.1:" + std::to_string(newAdmin);
        const tttest::FileReload moved = tttest::reloadFile(host(), adminProperties().set("host.admin.listen", newAddress).text(),
                                                            {"host.admin.listen: 127.0.0.1:0 -> " + newAddress});
        host().waitForLine(moved.mark, {"admin endpoint at http://" + newAddress + "/"});
        CPPUNIT_ASSERT_EQUAL(newAdmin, host().adminPort(1));
        const HttpReply health = http(newAdmin, "/healthz");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(describe("/healthz", health), 200, health.status);
        const Exposition page = scrape(newAdmin);
        assertValue(page, "tthost_config_reloads_total", {{"result", "applied"}}, 1);
        assertValue(page, "ttroute_connected_msg_servers", {}, 2);
        std::string what;
        CPPUNIT_ASSERT_MESSAGE("the old admin port " + std::to_string(oldAdmin) + ": " + what, tttest::connectionRefused(oldAdmin, what));
        tttest::assertRelayed(a, {&b}, 1, "after the admin endpoint moved");

        const tttest::FileReload closed =
            tttest::reloadFile(host(), adminProperties().set("host.admin.listen", "").text(), {"host.admin.listen: " + newAddress + " -> "});
        host().waitForLine(closed.mark, {"admin endpoint closed"});
        CPPUNIT_ASSERT_MESSAGE("the closed admin port " + std::to_string(newAdmin) + ": " + what, tttest::connectionRefused(newAdmin, what));
        CPPUNIT_ASSERT_MESSAGE(host().log(), tttest::linesWith(host().log(), {"admin endpoint at"}, closed.mark).empty());

        // Route traffic is unaffected: the same connections relay and answer, new ones connect.
        tttest::assertRelayed(a, {&b}, 2, "after the admin endpoint closed");
        CPPUNIT_ASSERT_EQUAL(std::string("600:1 601:2 "), query(b, {600, 601}));
        FakeMsgServer& c = connectMsgServer();
        tttest::assertRelayed(c, {&a, &b}, 3, "from a connection made after");
        CPPUNIT_ASSERT_MESSAGE(host().log(), tttest::linesWith(host().log(), {"disconnected"}).empty());
        stopCleanly();
    }

    /// Issue: with host.admin.listen empty from the start, no admin line is logged (not even
    /// by the time a later reload is done), and the route server serves as usual.
    void noAdminEndpointWhenListenIsEmpty()
    {
        start(adminProperties().set("host.admin.listen", ""));
        FakeMsgServer& a = connectMsgServer();
        FakeMsgServer& b = connectMsgServer();
        tttest::assertRelayed(a, {&b}, 1, "without an admin endpoint");

        // A reload runs in the main loop after start-up is over: any admin line came before it.
        tttest::reloadFile(host(), adminProperties().set("host.admin.listen", "").set("route.max_status_query_ids", "100").text(),
                           {"route.max_status_query_ids: (unset) -> 100"});
        const std::string log = host().log();
        CPPUNIT_ASSERT_MESSAGE(log, log.find("admin endpoint") == std::string::npos);
        stopCleanly();
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(AdminEndToEndTest);
