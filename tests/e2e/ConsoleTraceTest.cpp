// The console's /trace on the real tthost (e2e_console): one user's PDUs followed from one fake
// msg server to another in both relay modes (streamed, in the route.trace log, never the
// content), a trace that expires, Server-Sent Events for browsers, the traces it refuses, and
// a trace ended when its client goes.
#include "AdminHttp.h"
#include "AdminJson.h"
#include "ConsoleEndToEnd.h"
#include "HostFixture.h"
#include "Logins.h"
#include "PollUntil.h"
#include "ProtocolConstants.h"
#include "WireFrames.h"

#include <cppunit/extensions/HelperMacros.h>

using tttest::FakeMsgServer;
using tttest::http;
using tttest::HttpReply;
using tttest::HttpStream;
using tttest::jsonObject;
using tttest::logIn;
using tttest::stringField;
using tttest::tracesListed;
using namespace tttest::protocol;
using namespace std::chrono_literals;

class ConsoleTraceTest : public tttest::HostFixture
{
    CPPUNIT_TEST_SUITE(ConsoleTraceTest);
    CPPUNIT_TEST(traceFollowsAMessageInBroadcastMode);
    CPPUNIT_TEST(traceFollowsAMessageInTargetedMode);
    CPPUNIT_TEST(expiredTraceEndsItsStream);
    CPPUNIT_TEST(traceStreamsServerSentEventsToBrowsers);
    CPPUNIT_TEST(traceRefusesWhatItCannotDo);
    CPPUNIT_TEST(traceEndsWhenItsClientGoes);
    CPPUNIT_TEST_SUITE_END();

public:
    void traceFollowsAMessageInBroadcastMode() { traceFollowsAMessage("broadcast"); }

    void traceFollowsAMessageInTargetedMode() { traceFollowsAMessage("targeted"); }

    void expiredTraceEndsItsStream()
    {
        const std::uint16_t admin = startWithAdmin(config());
        HttpStream trace(admin, "/trace?user=1001&for=1s");
        CPPUNIT_ASSERT_MESSAGE(trace.body(), trace.waitForEnd());
        CPPUNIT_ASSERT_EQUAL(200, trace.status());
        CPPUNIT_ASSERT_EQUAL(std::string("text/plain; charset=utf-8"), trace.contentType());
        CPPUNIT_ASSERT_MESSAGE(trace.body(), trace.body().rfind("# tracing user 1001 for 1s (until ", 0) == 0);
        const std::string end = "# trace of 1001 ended: its 1s are over\n";
        CPPUNIT_ASSERT_MESSAGE(trace.body(), trace.body().size() > end.size() &&
                                                 trace.body().compare(trace.body().size() - end.size(), end.size(), end) == 0);
        tttest::pollUntil("no trace in /status", [&] { return tracesListed(admin) == 0; });
        stopCleanly();
    }

    void traceStreamsServerSentEventsToBrowsers()
    {
        const std::uint16_t admin = startWithAdmin(config());
        HttpStream trace(admin, "/trace?user=1001&user=1002&for=1s", "text/event-stream");
        CPPUNIT_ASSERT_MESSAGE(trace.body(), trace.waitForEnd());
        CPPUNIT_ASSERT_EQUAL(std::string("text/event-stream"), trace.contentType());
        CPPUNIT_ASSERT_MESSAGE(trace.body(), trace.body().rfind("data: # tracing users 1001, 1002 for 1s", 0) == 0);
        CPPUNIT_ASSERT_MESSAGE(trace.body(), trace.body().find("\n\ndata: # trace of 1001, 1002 ended: its 1s are over\n\n") != std::string::npos);
        stopCleanly();
    }

    void traceRefusesWhatItCannotDo()
    {
        const std::uint16_t admin = startWithAdmin(config());
        std::string seventeen = "/trace?for=1m";
        for (int user = 1; user <= 17; ++user)
            seventeen += "&user=" + std::to_string(user);
        for (const std::string& path : std::vector<std::string>{"/trace", "/trace?user=alice", "/trace?user=1001&for=20m", "/trace?user=1001&for=0", "/trace?user=1001&for=soon",
                                       seventeen})
        {
            const HttpReply reply = http(admin, path);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(tttest::describe(path, reply), 400, reply.status);
            CPPUNIT_ASSERT_MESSAGE(tttest::describe(path, reply), !stringField(jsonObject(reply.body), "error").empty());
        }
        CPPUNIT_ASSERT(stringField(jsonObject(http(admin, "/trace?user=1001&for=20m").body), "error").find("900s") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(405, http(admin, "/trace?user=1", "POST").status);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), tracesListed(admin));
        stopCleanly();
    }

    void traceEndsWhenItsClientGoes()
    {
        const std::uint16_t admin = startWithAdmin(config());
        HttpStream trace(admin, "/trace?user=1001&for=15m");
        CPPUNIT_ASSERT(trace.waitFor("# tracing user 1001"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), tracesListed(admin));
        trace.close();
        tttest::pollUntil("the trace gone from /status", [&] { return tracesListed(admin) == 0; });
        stopCleanly();
    }

private:
    /// Alice on msg server A, Bob on B, nobody on C, a trace on Alice: her message to Bob
    /// shows with its ids, size and the msg servers it came from and went to — in targeted
    /// mode only B, in broadcast mode B and C — in the stream and in the route.trace log;
    /// Carol's message makes no line, and no content shows anywhere.
    void traceFollowsAMessage(const std::string& mode)
    {
        const std::uint16_t admin = startWithAdmin(config().set("route.relay.mode", mode));
        // Each admitted before the next connects: the server numbers connections as its threads
        // take them on, and a trace names destinations in that order (B before C).
        FakeMsgServer& a = connectMsgServer();
        FakeMsgServer& b = connectMsgServer();
        FakeMsgServer& c = connectMsgServer();
        logIn(a, kAlice, kWindows);
        logIn(a, kCarol, kWindows);
        logIn(b, kBob, kWindows);
        HttpStream trace(admin, "/trace?user=1001&for=1m");
        CPPUNIT_ASSERT_MESSAGE(trace.body(), trace.waitFor("# tracing user 1001 for 60s"));
        const std::size_t mark = host().mark();

        a.send(tttest::msgData(kCarol, kBob, 6, "carol's words"));
        const std::string message = tttest::msgData(kAlice, kBob, 7, "the secret words");
        a.send(message);
        a.sync();
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), b.sync().size()); // both reached Bob's msg server

        const std::string destinations = mode == "targeted" ? "relayed (targeted) to 1 msg server: " + traceName(admin, b)
                                                            : "relayed to 2 msg servers: " + traceName(admin, b) + ", " + traceName(admin, c);
        const std::string expected = "MSG_DATA from 1001 to 1002 msg_id 7, " + std::to_string(message.size()) + " bytes, from " +
                                     traceName(admin, a) + ": " + destinations + "\n";
        CPPUNIT_ASSERT_MESSAGE(trace.body() + "\nwanted: " + expected, trace.waitFor(expected));
        host().waitForLine(mark, {"route.trace", expected.substr(0, expected.size() - 1)}, 30s);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), tracesListed(admin));
        CPPUNIT_ASSERT_MESSAGE(trace.body(), trace.body().find("from 1003") == std::string::npos);
        for (const std::string& where : {trace.body(), host().log()})
            CPPUNIT_ASSERT(where.find("secret words") == std::string::npos && where.find("carol's words") == std::string::npos);
        stopCleanly();
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ConsoleTraceTest);
