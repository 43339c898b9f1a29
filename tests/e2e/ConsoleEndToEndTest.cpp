// The operator's console on the real tthost binary, over loopback: GET /status and /host
// against the configuration in force, /peers and /presence against what fake msg servers
// registered and sent, /history against traffic, /disconnects against connections that
// ended, /trace following one user's PDUs from one fake msg server to another in both relay
// modes (streamed, in the route.trace log, never the content; expired; refused when asked
// wrongly; ended when its client goes), POST /drain and POST /reload, and the refusals of
// POSTs without host.admin.token once one is set. Loopback and ephemeral ports only; every
// child process is killed if a test fails midway; every wait is for a condition.
#include "AdminHttp.h"
#include "FakeMsgServer.h"
#include "ProtocolConstants.h"
#include "RunningHost.h"
#include "WireFrames.h"

#include <Poco/JSON/Array.h>

#include <cppunit/extensions/HelperMacros.h>

#include <csignal>
#include <functional>
#include <thread>

using tttest::FakeMsgServer;
using tttest::http;
using tttest::HttpReply;
using tttest::HttpStream;
using tttest::jsonObject;
using tttest::RunningHost;
using namespace tttest::protocol;
using namespace std::chrono_literals;

namespace
{

constexpr std::uint32_t kAlice = 1001;
constexpr std::uint32_t kBob = 1002;
constexpr std::uint32_t kCarol = 1003;

/// The route plugin and the admin endpoint on ephemeral loopback ports, with `extra` keys.
std::string config(const std::string& extra = "")
{
    return "# written by ConsoleEndToEndTest\n"
           "host.route.listen = 127.0.0.1:0\n"
           "host.admin.listen = 127.0.0.1:0\n"
           "host.drain_timeout = 2s\n"
           "route.heartbeat_interval = 1h\n"
           "route.idle_timeout = 1h\n" +
           extra;
}

/// The body of a 200 answer to GET `path`, as JSON.
Poco::JSON::Object::Ptr getJson(std::uint16_t admin, const std::string& path)
{
    const HttpReply reply = http(admin, path);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(tttest::describe(path, reply), 200, reply.status);
    CPPUNIT_ASSERT_MESSAGE(tttest::describe(path, reply), reply.contentType.rfind("application/json", 0) == 0);
    return jsonObject(reply.body);
}

/// Polls until `condition` holds; fails the test with `what` when it does not within 30 s.
void waitUntil(const std::string& what, const std::function<bool()>& condition)
{
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (!condition())
    {
        CPPUNIT_ASSERT_MESSAGE("waited 30 s in vain for: " + what, std::chrono::steady_clock::now() < deadline);
        std::this_thread::sleep_for(20ms);
    }
}

std::string addressOf(FakeMsgServer& fake)
{
    return fake.socket().address().toString();
}

/// The /peers entry of `fake`.
Poco::JSON::Object::Ptr peerOf(std::uint16_t admin, FakeMsgServer& fake)
{
    const auto peers = tttest::peersByAddress(admin);
    const auto found = peers.find(addressOf(fake));
    CPPUNIT_ASSERT_MESSAGE("no peer " + addressOf(fake), found != peers.end());
    return found->second;
}

std::uint64_t count(const Poco::JSON::Object::Ptr& object, const std::string& key)
{
    CPPUNIT_ASSERT_MESSAGE("no '" + key + "'", object && object->has(key));
    return object->getValue<std::uint64_t>(key);
}

std::string text(const Poco::JSON::Object::Ptr& object, const std::string& key)
{
    CPPUNIT_ASSERT_MESSAGE("no '" + key + "'", object && object->has(key) && object->get(key).isString());
    return object->getValue<std::string>(key);
}

/// "msg server 127.0.0.1:PORT #ID": how trace lines name `fake`.
std::string traceName(std::uint16_t admin, FakeMsgServer& fake)
{
    return "msg server " + addressOf(fake) + " #" + std::to_string(count(peerOf(admin, fake), "id"));
}

/// The traces GET /status lists.
std::size_t tracesRunning(std::uint16_t admin)
{
    return getJson(admin, "/status")->getArray("traces")->size();
}

/// Registers `user` with `clientType` on `fake`, and waits until the route server applied it.
void login(FakeMsgServer& fake, std::uint32_t user, std::uint32_t clientType)
{
    fake.send(tttest::statusUpdate(user, kOnline, clientType));
    fake.sync();
}

} // namespace

class ConsoleEndToEndTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ConsoleEndToEndTest);
    CPPUNIT_TEST(statusAndHostDescribeWhatIsInForce);
    CPPUNIT_TEST(statusPageIsServedAtTheRoot);
    CPPUNIT_TEST(peersShowUsersLoginsTrafficAndLastReceive);
    CPPUNIT_TEST(presenceNamesEachMsgServersAddress);
    CPPUNIT_TEST(historyCountsTheTrafficSecondBySecond);
    CPPUNIT_TEST(disconnectsKeepTheirReasons);
    CPPUNIT_TEST(traceFollowsAMessageInBroadcastMode);
    CPPUNIT_TEST(traceFollowsAMessageInTargetedMode);
    CPPUNIT_TEST(expiredTraceEndsItsStream);
    CPPUNIT_TEST(traceStreamsServerSentEventsToBrowsers);
    CPPUNIT_TEST(traceRefusesWhatItCannotDo);
    CPPUNIT_TEST(traceEndsWhenItsClientGoes);
    CPPUNIT_TEST(drainClosesOneMsgServerGracefully);
    CPPUNIT_TEST(reloadSaysWhatChangedOrWhyNot);
    CPPUNIT_TEST(changesNeedTheTokenOnceOneIsSet);
    CPPUNIT_TEST_SUITE_END();

public:
    void statusAndHostDescribeWhatIsInForce()
    {
        RunningHost host(config("route.relay.mode = targeted\nroute.peer_loss_grace = 7s\nhost.admin.token = t0p-s3cret\n"));
        const std::uint16_t port = host.port();
        const std::uint16_t admin = host.adminPort();
        FakeMsgServer a(port);
        FakeMsgServer b(port);
        login(a, kAlice, kWindows);
        login(a, kAlice, kAndroid);
        login(b, kBob, kMac);

        const auto status = getJson(admin, "/status");
        CPPUNIT_ASSERT(!text(status, "version").empty());
        CPPUNIT_ASSERT_EQUAL(std::string("targeted"), text(status, "relay_mode"));
        CPPUNIT_ASSERT_EQUAL(std::string("7s"), text(status, "peer_loss_grace"));
        CPPUNIT_ASSERT(!status->getValue<bool>("announce_via_master"));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), count(status, "msg_servers"));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), count(status, "online_users"));
        const auto logins = status->getObject("logins");
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), count(logins, "windows"));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), count(logins, "android"));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), count(logins, "mac"));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), count(logins, "ios"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), tracesRunning(admin));

        const auto hostStatus = getJson(admin, "/host");
        CPPUNIT_ASSERT_EQUAL(text(status, "version"), text(hostStatus, "version"));
        CPPUNIT_ASSERT(hostStatus->getValue<bool>("ready"));
        const auto configuration = hostStatus->getObject("config");
        CPPUNIT_ASSERT_EQUAL(host.configPath(), text(configuration, "file"));
        const auto settings = configuration->getObject("settings");
        CPPUNIT_ASSERT_EQUAL(std::string("targeted"), text(settings, "route.relay.mode"));
        CPPUNIT_ASSERT_EQUAL(std::string("(hidden)"), text(settings, "host.admin.token"));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), count(configuration->getObject("reloads"), "applied"));
        CPPUNIT_ASSERT(host.log().find("t0p-s3cret") == std::string::npos);
        CPPUNIT_ASSERT_EQUAL(0, host.stopWith(SIGTERM));
    }

    void statusPageIsServedAtTheRoot()
    {
        RunningHost host(config());
        const HttpReply page = http(host.adminPort(), "/");
        CPPUNIT_ASSERT_EQUAL(200, page.status);
        CPPUNIT_ASSERT_EQUAL(std::string("text/html; charset=utf-8"), page.contentType);
        CPPUNIT_ASSERT(page.body.rfind("<!DOCTYPE html>", 0) == 0);
        const HttpReply post = http(host.adminPort(), "/", "POST");
        CPPUNIT_ASSERT_EQUAL(405, post.status);
        CPPUNIT_ASSERT_EQUAL(std::string("GET"), post.allow);
        CPPUNIT_ASSERT_EQUAL(0, host.stopWith(SIGTERM));
    }

    void peersShowUsersLoginsTrafficAndLastReceive()
    {
        RunningHost host(config());
        const std::uint16_t port = host.port();
        const std::uint16_t admin = host.adminPort();
        FakeMsgServer a(port);
        FakeMsgServer b(port);
        const std::string updates = tttest::statusUpdate(kAlice, kOnline, kWindows) + tttest::statusUpdate(kAlice, kOnline, kAndroid) +
                                    tttest::statusUpdate(kCarol, kOnline, kAndroid) + tttest::statusUpdate(kCarol, kOnline, kAndroid);
        a.send(updates);
        a.sync();
        const auto peer = peerOf(admin, a);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), count(peer, "users_hosted"));
        const auto users = peer->getObject("users");
        const auto logins = peer->getObject("logins");
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), count(users, "windows"));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), count(users, "android"));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), count(logins, "windows"));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(3), count(logins, "android"));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), count(logins, "mac"));
        // The four updates and the sync's query in, the query's answer and the notifications out.
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(5), count(peer, "pdus_in"));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(updates.size() + tttest::statusRequest(0xF000, 0x5EC0DE, {}).size()), count(peer, "bytes_in"));
        CPPUNIT_ASSERT(count(peer, "pdus_out") >= 1);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), count(peer, "queue_bytes"));
        CPPUNIT_ASSERT_EQUAL(std::string("established"), text(peer, "standing"));
        CPPUNIT_ASSERT(peer->isNull("master"));
        CPPUNIT_ASSERT(text(peer, "last_receive") >= text(peer, "connected_since"));
        // b has sent nothing: once served, it is listed as silent, hosting nobody.
        waitUntil("b listed in /peers", [&] { return tttest::peersByAddress(admin).count(addressOf(b)) == 1; });
        const auto silent = peerOf(admin, b);
        CPPUNIT_ASSERT_EQUAL(std::string("silent"), text(silent, "standing"));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), count(silent, "users_hosted"));
        CPPUNIT_ASSERT_EQUAL(0, host.stopWith(SIGTERM));
    }

    void presenceNamesEachMsgServersAddress()
    {
        RunningHost host(config());
        const std::uint16_t port = host.port();
        const std::uint16_t admin = host.adminPort();
        FakeMsgServer a(port);
        FakeMsgServer b(port);
        login(a, kAlice, kWindows);
        login(b, kAlice, kIos);
        const auto user = getJson(admin, "/presence?user=1001")->getArray("users")->getObject(0);
        CPPUNIT_ASSERT_EQUAL(std::string("online"), text(user, "status"));
        const auto connections = user->getArray("connections");
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), connections->size());
        std::set<std::string> addresses;
        for (std::size_t i = 0; i < connections->size(); ++i)
            addresses.insert(text(connections->getObject(static_cast<unsigned>(i)), "remote_address"));
        CPPUNIT_ASSERT(std::set<std::string>({addressOf(a), addressOf(b)}) == addresses);
        CPPUNIT_ASSERT_EQUAL(0, host.stopWith(SIGTERM));
    }

    void historyCountsTheTrafficSecondBySecond()
    {
        RunningHost host(config());
        const std::uint16_t port = host.port();
        const std::uint16_t admin = host.adminPort();
        FakeMsgServer a(port);
        FakeMsgServer b(port);
        const std::uint64_t messages = 25;
        for (std::uint32_t i = 0; i < messages; ++i)
            a.send(tttest::msgData(kAlice, kBob, i, "m"));
        a.sync();
        auto summed = [&](const std::string& command) {
            const auto samples = getJson(admin, "/history")->getArray("samples");
            std::uint64_t total = 0;
            for (std::size_t i = 0; i < samples->size(); ++i)
            {
                const auto pdus = samples->getObject(static_cast<unsigned>(i))->getObject("pdus");
                total += pdus->has(command) ? pdus->getValue<std::uint64_t>(command) : 0;
            }
            return total;
        };
        // Sampled once a second: the messages show within a second or two.
        waitUntil("25 msg_data in /history", [&] { return summed("msg_data") == messages; });
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), summed("users_status_request"));
        const auto all = getJson(admin, "/history")->getArray("samples");
        const std::int64_t last = all->getObject(static_cast<unsigned>(all->size() - 1))->getValue<std::int64_t>("time");
        for (std::size_t i = 0; i < all->size(); ++i)
            CPPUNIT_ASSERT(all->getObject(static_cast<unsigned>(i))->getValue<std::int64_t>("time") <= last);
        const auto later = getJson(admin, "/history?since=" + std::to_string(last))->getArray("samples");
        for (std::size_t i = 0; i < later->size(); ++i)
            CPPUNIT_ASSERT(later->getObject(static_cast<unsigned>(i))->getValue<std::int64_t>("time") > last);
        CPPUNIT_ASSERT_EQUAL(400, http(admin, "/history?since=yesterday").status);
        CPPUNIT_ASSERT_EQUAL(0, host.stopWith(SIGTERM));
    }

    void disconnectsKeepTheirReasons()
    {
        RunningHost host(config());
        const std::uint16_t port = host.port();
        const std::uint16_t admin = host.adminPort();
        FakeMsgServer a(port);
        auto b = std::make_unique<FakeMsgServer>(port);
        login(*b, kBob, kWindows);
        const std::string address = addressOf(*b);
        const std::uint64_t id = count(peerOf(admin, *b), "id");
        b->close();
        Poco::JSON::Object::Ptr last;
        waitUntil("the disconnect in /disconnects", [&] {
            const auto list = getJson(admin, "/disconnects")->getArray("disconnects");
            last = list->size() > 0 ? list->getObject(0) : nullptr;
            return last != nullptr;
        });
        CPPUNIT_ASSERT_EQUAL(id, count(last, "id"));
        CPPUNIT_ASSERT_EQUAL(address, text(last, "remote_address"));
        CPPUNIT_ASSERT_EQUAL(std::string("eof"), text(last, "reason"));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), count(last, "users_hosted"));
        CPPUNIT_ASSERT(last->getValue<double>("connected_seconds") >= 0);
        CPPUNIT_ASSERT(!text(last, "at").empty());
        CPPUNIT_ASSERT_EQUAL(0, host.stopWith(SIGTERM));
    }

    void traceFollowsAMessageInBroadcastMode() { traceFollowsAMessage("broadcast"); }

    void traceFollowsAMessageInTargetedMode() { traceFollowsAMessage("targeted"); }

    void expiredTraceEndsItsStream()
    {
        RunningHost host(config());
        const std::uint16_t admin = host.adminPort();
        HttpStream trace(admin, "/trace?user=1001&for=1s");
        CPPUNIT_ASSERT_MESSAGE(trace.body(), trace.waitForEnd());
        CPPUNIT_ASSERT_EQUAL(200, trace.status());
        CPPUNIT_ASSERT_EQUAL(std::string("text/plain; charset=utf-8"), trace.contentType());
        CPPUNIT_ASSERT_MESSAGE(trace.body(), trace.body().rfind("# tracing user 1001 for 1s (until ", 0) == 0);
        const std::string end = "# trace of 1001 ended: its 1s are over\n";
        CPPUNIT_ASSERT_MESSAGE(trace.body(), trace.body().size() > end.size() &&
                                                 trace.body().compare(trace.body().size() - end.size(), end.size(), end) == 0);
        waitUntil("no trace in /status", [&] { return tracesRunning(admin) == 0; });
        CPPUNIT_ASSERT_EQUAL(0, host.stopWith(SIGTERM));
    }

    void traceStreamsServerSentEventsToBrowsers()
    {
        RunningHost host(config());
        const std::uint16_t admin = host.adminPort();
        HttpStream trace(admin, "/trace?user=1001&user=1002&for=1s", "text/event-stream");
        CPPUNIT_ASSERT_MESSAGE(trace.body(), trace.waitForEnd());
        CPPUNIT_ASSERT_EQUAL(std::string("text/event-stream"), trace.contentType());
        CPPUNIT_ASSERT_MESSAGE(trace.body(), trace.body().rfind("data: # tracing users 1001, 1002 for 1s", 0) == 0);
        CPPUNIT_ASSERT_MESSAGE(trace.body(), trace.body().find("\n\ndata: # trace of 1001, 1002 ended: its 1s are over\n\n") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(0, host.stopWith(SIGTERM));
    }

    void traceRefusesWhatItCannotDo()
    {
        RunningHost host(config());
        const std::uint16_t admin = host.adminPort();
        std::string seventeen = "/trace?for=1m";
        for (int user = 1; user <= 17; ++user)
            seventeen += "&user=" + std::to_string(user);
        for (const std::string& path : std::vector<std::string>{"/trace", "/trace?user=alice", "/trace?user=1001&for=20m", "/trace?user=1001&for=0", "/trace?user=1001&for=soon",
                                       seventeen})
        {
            const HttpReply reply = http(admin, path);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(tttest::describe(path, reply), 400, reply.status);
            CPPUNIT_ASSERT_MESSAGE(tttest::describe(path, reply), !text(jsonObject(reply.body), "error").empty());
        }
        CPPUNIT_ASSERT(text(jsonObject(http(admin, "/trace?user=1001&for=20m").body), "error").find("900s") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(405, http(admin, "/trace?user=1", "POST").status);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), tracesRunning(admin));
        CPPUNIT_ASSERT_EQUAL(0, host.stopWith(SIGTERM));
    }

    void traceEndsWhenItsClientGoes()
    {
        RunningHost host(config());
        const std::uint16_t admin = host.adminPort();
        HttpStream trace(admin, "/trace?user=1001&for=15m");
        CPPUNIT_ASSERT(trace.waitFor("# tracing user 1001"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), tracesRunning(admin));
        trace.close();
        waitUntil("the trace gone from /status", [&] { return tracesRunning(admin) == 0; });
        CPPUNIT_ASSERT_EQUAL(0, host.stopWith(SIGTERM));
    }

    void drainClosesOneMsgServerGracefully()
    {
        RunningHost host(config());
        const std::uint16_t port = host.port();
        const std::uint16_t admin = host.adminPort();
        FakeMsgServer a(port);
        FakeMsgServer b(port);
        login(a, kAlice, kWindows);
        login(b, kBob, kWindows);
        const std::uint64_t id = count(peerOf(admin, b), "id");
        const HttpReply reply = http(admin, "/drain?peer=" + std::to_string(id), "POST");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(tttest::describe("/drain", reply), 200, reply.status);
        const auto drained = jsonObject(reply.body)->getObject("drained");
        CPPUNIT_ASSERT_EQUAL(id, count(drained, "id"));
        CPPUNIT_ASSERT_EQUAL(addressOf(b), text(drained, "remote_address"));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), count(drained, "users_hosted"));
        CPPUNIT_ASSERT(b.waitClosed());
        waitUntil("the drain in /disconnects", [&] {
            const auto list = getJson(admin, "/disconnects")->getArray("disconnects");
            return list->size() == 1 && text(list->getObject(0), "reason") == "drained";
        });
        a.sync(); // the other msg server is served on
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), tttest::peersByAddress(admin).size());
        CPPUNIT_ASSERT_EQUAL(404, http(admin, "/drain?peer=" + std::to_string(id), "POST").status);
        CPPUNIT_ASSERT_EQUAL(400, http(admin, "/drain", "POST").status);
        CPPUNIT_ASSERT_EQUAL(400, http(admin, "/drain?peer=1&peer=2", "POST").status);
        const HttpReply get = http(admin, "/drain?peer=1");
        CPPUNIT_ASSERT_EQUAL(405, get.status);
        CPPUNIT_ASSERT_EQUAL(std::string("POST"), get.allow);
        CPPUNIT_ASSERT_EQUAL(0, host.stopWith(SIGTERM));
    }

    void reloadSaysWhatChangedOrWhyNot()
    {
        RunningHost host(config());
        const std::uint16_t admin = host.adminPort();
        auto reload = [&] { return http(admin, "/reload", "POST"); };
        const HttpReply unchanged = reload();
        CPPUNIT_ASSERT_EQUAL_MESSAGE(tttest::describe("/reload", unchanged), 200, unchanged.status);
        CPPUNIT_ASSERT_EQUAL(std::string("unchanged"), text(jsonObject(unchanged.body), "result"));

        // tthost also looks at the file every second: whichever reload comes first applies it.
        host.rewrite(config("route.relay.mode = targeted\n"));
        const HttpReply changed = reload();
        CPPUNIT_ASSERT_EQUAL_MESSAGE(tttest::describe("/reload", changed), 200, changed.status);
        const std::string result = text(jsonObject(changed.body), "result");
        CPPUNIT_ASSERT_MESSAGE(changed.body, result == "applied" || result == "unchanged");
        if (result == "applied")
            CPPUNIT_ASSERT_MESSAGE(changed.body, text(jsonObject(changed.body), "message").find("route.relay.mode: (unset) -> targeted") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::string("targeted"), text(getJson(admin, "/status"), "relay_mode"));

        host.rewrite(config("route.relay.mode = sideways\n"));
        const HttpReply rejected = reload();
        CPPUNIT_ASSERT_EQUAL_MESSAGE(tttest::describe("/reload", rejected), 422, rejected.status);
        CPPUNIT_ASSERT_EQUAL(std::string("rejected"), text(jsonObject(rejected.body), "result"));
        CPPUNIT_ASSERT_MESSAGE(rejected.body, text(jsonObject(rejected.body), "message").find("route.relay.mode") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::string("targeted"), text(getJson(admin, "/status"), "relay_mode"));
        const auto last = getJson(admin, "/host")->getObject("config")->getObject("reloads")->getObject("last");
        CPPUNIT_ASSERT_EQUAL(std::string("rejected"), text(last, "result"));
        CPPUNIT_ASSERT_EQUAL(405, http(admin, "/reload").status);
        CPPUNIT_ASSERT_EQUAL(0, host.stopWith(SIGTERM));
    }

    void changesNeedTheTokenOnceOneIsSet()
    {
        const std::string token = "Zq8-console-token";
        RunningHost host(config("host.admin.token = " + token + "\n"));
        const std::uint16_t port = host.port();
        const std::uint16_t admin = host.adminPort();
        FakeMsgServer a(port);
        login(a, kAlice, kWindows);
        const std::string drain = "/drain?peer=" + std::to_string(count(peerOf(admin, a), "id"));
        for (const std::string& path : {std::string("/reload"), drain})
        {
            for (const std::map<std::string, std::string>& headers :
                 {std::map<std::string, std::string>{}, {{"Authorization", "Bearer wrong"}}, {{"Authorization", token}}})
            {
                const HttpReply refused = http(admin, path, "POST", headers);
                CPPUNIT_ASSERT_EQUAL_MESSAGE(tttest::describe(path, refused), 403, refused.status);
                CPPUNIT_ASSERT_MESSAGE(refused.body, text(jsonObject(refused.body), "error").find("host.admin.token") != std::string::npos);
            }
        }
        CPPUNIT_ASSERT_EQUAL(200, http(admin, "/status").status); // reading needs no token
        a.sync();                                                  // not drained
        const std::map<std::string, std::string> bearer{{"Authorization", "Bearer " + token}};
        CPPUNIT_ASSERT_EQUAL(200, http(admin, "/reload", "POST", bearer).status);
        CPPUNIT_ASSERT_EQUAL(200, http(admin, drain, "POST", bearer).status);
        CPPUNIT_ASSERT(a.waitClosed());
        CPPUNIT_ASSERT(host.log().find(token) == std::string::npos);
        CPPUNIT_ASSERT_EQUAL(0, host.stopWith(SIGTERM));
    }

private:
    /// Alice on msg server A, Bob on B, nobody on C, a trace on Alice: her message to Bob
    /// shows with its ids, size and the msg servers it came from and went to — in targeted
    /// mode only B, in broadcast mode B and C — in the stream and in the route.trace log;
    /// Carol's message makes no line, and no content shows anywhere.
    void traceFollowsAMessage(const std::string& mode)
    {
        RunningHost host(config("route.relay.mode = " + mode + "\n"));
        const std::uint16_t port = host.port();
        const std::uint16_t admin = host.adminPort();
        FakeMsgServer a(port);
        FakeMsgServer b(port);
        FakeMsgServer c(port);
        login(a, kAlice, kWindows);
        login(a, kCarol, kWindows);
        login(b, kBob, kWindows);
        c.sync();
        HttpStream trace(admin, "/trace?user=1001&for=1m");
        CPPUNIT_ASSERT_MESSAGE(trace.body(), trace.waitFor("# tracing user 1001 for 60s"));
        const std::size_t mark = host.mark();

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
        host.waitForLine(mark, {"route.trace", expected.substr(0, expected.size() - 1)}, 30s);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), tracesRunning(admin));
        CPPUNIT_ASSERT_MESSAGE(trace.body(), trace.body().find("from 1003") == std::string::npos);
        for (const std::string& where : {trace.body(), host.log()})
            CPPUNIT_ASSERT(where.find("secret words") == std::string::npos && where.find("carol's words") == std::string::npos);
        CPPUNIT_ASSERT_EQUAL(0, host.stopWith(SIGTERM));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ConsoleEndToEndTest);
