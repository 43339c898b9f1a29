// What the operator's console shows of the real tthost (e2e_console): GET /status and /host
// against the configuration in force, the status page at the root, /peers and /presence
// against what fake msg servers registered and sent, /history against traffic, /disconnects
// against connections that ended. Loopback and ephemeral ports only; every child process is
// killed if a test fails midway; every wait is for a condition.
#include "AdminHttp.h"
#include "AdminJson.h"
#include "ConsoleEndToEnd.h"
#include "HostFixture.h"
#include "Logins.h"
#include "PollUntil.h"
#include "ProtocolConstants.h"
#include "TrafficLedger.h"
#include "WireFrames.h"

#include <Poco/JSON/Array.h>

#include <cppunit/extensions/HelperMacros.h>

#include <set>

using tttest::addressOf;
using tttest::FakeMsgServer;
using tttest::getJson;
using tttest::http;
using tttest::HttpReply;
using tttest::logIn;
using tttest::numberField;
using tttest::peerOf;
using tttest::pollUntil;
using tttest::stringField;
using namespace tttest::protocol;

class ConsoleEndToEndTest : public tttest::HostFixture
{
    CPPUNIT_TEST_SUITE(ConsoleEndToEndTest);
    CPPUNIT_TEST(statusAndHostDescribeWhatIsInForce);
    CPPUNIT_TEST(statusPageIsServedAtTheRoot);
    CPPUNIT_TEST(peersShowUsersLoginsTrafficAndLastReceive);
    CPPUNIT_TEST(presenceNamesEachMsgServersAddress);
    CPPUNIT_TEST(historyCountsTheTrafficSecondBySecond);
    CPPUNIT_TEST(disconnectsKeepTheirReasons);
    CPPUNIT_TEST_SUITE_END();

public:
    void statusAndHostDescribeWhatIsInForce()
    {
        const std::uint16_t admin =
            startWithAdmin(config().set("route.relay.mode", "targeted").set("route.peer_loss_grace", "7s").set("host.admin.token", "t0p-s3cret"));
        FakeMsgServer& a = connectSilentMsgServer();
        FakeMsgServer& b = connectSilentMsgServer();
        logIn(a, {{kAlice, kWindows}, {kAlice, kAndroid}});
        logIn(b, kBob, kMac);

        const auto status = getJson(admin, "/status");
        CPPUNIT_ASSERT(!stringField(status, "version").empty());
        CPPUNIT_ASSERT_EQUAL(std::string("targeted"), stringField(status, "relay_mode"));
        CPPUNIT_ASSERT_EQUAL(std::string("7s"), stringField(status, "peer_loss_grace"));
        CPPUNIT_ASSERT(!status->getValue<bool>("announce_via_master"));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), numberField(status, "msg_servers"));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), numberField(status, "online_users"));
        const auto logins = status->getObject("logins");
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), numberField(logins, "windows"));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), numberField(logins, "android"));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), numberField(logins, "mac"));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), numberField(logins, "ios"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), tttest::tracesListed(admin));

        const auto hostStatus = getJson(admin, "/host");
        CPPUNIT_ASSERT_EQUAL(stringField(status, "version"), stringField(hostStatus, "version"));
        CPPUNIT_ASSERT(hostStatus->getValue<bool>("ready"));
        const auto configuration = hostStatus->getObject("config");
        CPPUNIT_ASSERT_EQUAL(host().configPath(), stringField(configuration, "file"));
        const auto settings = configuration->getObject("settings");
        CPPUNIT_ASSERT_EQUAL(std::string("targeted"), stringField(settings, "route.relay.mode"));
        CPPUNIT_ASSERT_EQUAL(std::string("(hidden)"), stringField(settings, "host.admin.token"));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), numberField(configuration->getObject("reloads"), "applied"));
        CPPUNIT_ASSERT(host().log().find("t0p-s3cret") == std::string::npos);
        stopCleanly();
    }

    void statusPageIsServedAtTheRoot()
    {
        const std::uint16_t admin = startWithAdmin(config());
        const HttpReply page = http(admin, "/");
        CPPUNIT_ASSERT_EQUAL(200, page.status);
        CPPUNIT_ASSERT_EQUAL(std::string("text/html; charset=utf-8"), page.contentType);
        CPPUNIT_ASSERT(page.body.rfind("<!DOCTYPE html>", 0) == 0);
        assertMethodRefused(admin, "/", "POST", "GET");
        stopCleanly();
    }

    void peersShowUsersLoginsTrafficAndLastReceive()
    {
        const std::uint16_t admin = startWithAdmin(config());
        tttest::TrafficLedger traffic(connectSilentMsgServer());
        FakeMsgServer& a = traffic.fake();
        FakeMsgServer& b = connectSilentMsgServer();
        traffic.send(tttest::loginUpdates({{kAlice, kWindows}, {kAlice, kAndroid}, {kCarol, kAndroid}, {kCarol, kAndroid}}));
        traffic.sync();
        const auto peer = peerOf(admin, a);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), numberField(peer, "users_hosted"));
        const auto users = peer->getObject("users");
        const auto logins = peer->getObject("logins");
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), numberField(users, "windows"));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), numberField(users, "android"));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), numberField(logins, "windows"));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(3), numberField(logins, "android"));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), numberField(logins, "mac"));
        // The four updates and the sync's query in, the query's answer and the notifications out.
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(5), numberField(peer, "pdus_in"));
        CPPUNIT_ASSERT_EQUAL(traffic.bytesIn(), numberField(peer, "bytes_in"));
        CPPUNIT_ASSERT(numberField(peer, "pdus_out") >= 1);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), numberField(peer, "queue_bytes"));
        CPPUNIT_ASSERT_EQUAL(std::string("established"), stringField(peer, "standing"));
        CPPUNIT_ASSERT(peer->isNull("master"));
        CPPUNIT_ASSERT(stringField(peer, "last_receive") >= stringField(peer, "connected_since"));
        // b has sent nothing: once served, it is listed as silent, hosting nobody.
        pollUntil("b listed in /peers", [&] { return tttest::peersByAddress(admin).count(addressOf(b)) == 1; });
        const auto silent = peerOf(admin, b);
        CPPUNIT_ASSERT_EQUAL(std::string("silent"), stringField(silent, "standing"));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), numberField(silent, "users_hosted"));
        stopCleanly();
    }

    void presenceNamesEachMsgServersAddress()
    {
        const std::uint16_t admin = startWithAdmin(config());
        FakeMsgServer& a = connectSilentMsgServer();
        FakeMsgServer& b = connectSilentMsgServer();
        logIn(a, kAlice, kWindows);
        logIn(b, kAlice, kIos);
        const auto user = getJson(admin, "/presence?user=1001")->getArray("users")->getObject(0);
        CPPUNIT_ASSERT_EQUAL(std::string("online"), stringField(user, "status"));
        const auto connections = user->getArray("connections");
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), connections->size());
        std::set<std::string> addresses;
        for (std::size_t i = 0; i < connections->size(); ++i)
            addresses.insert(stringField(connections->getObject(static_cast<unsigned>(i)), "remote_address"));
        CPPUNIT_ASSERT(std::set<std::string>({addressOf(a), addressOf(b)}) == addresses);
        stopCleanly();
    }

    void historyCountsTheTrafficSecondBySecond()
    {
        const std::uint16_t admin = startWithAdmin(config());
        FakeMsgServer& a = connectSilentMsgServer();
        connectSilentMsgServer(); // where the messages go
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
        pollUntil("25 msg_data in /history", [&] { return summed("msg_data") == messages; });
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), summed("users_status_request"));
        const auto all = getJson(admin, "/history")->getArray("samples");
        const std::int64_t last = all->getObject(static_cast<unsigned>(all->size() - 1))->getValue<std::int64_t>("time");
        for (std::size_t i = 0; i < all->size(); ++i)
            CPPUNIT_ASSERT(all->getObject(static_cast<unsigned>(i))->getValue<std::int64_t>("time") <= last);
        const auto later = getJson(admin, "/history?since=" + std::to_string(last))->getArray("samples");
        for (std::size_t i = 0; i < later->size(); ++i)
            CPPUNIT_ASSERT(later->getObject(static_cast<unsigned>(i))->getValue<std::int64_t>("time") > last);
        CPPUNIT_ASSERT_EQUAL(400, http(admin, "/history?since=yesterday").status);
        stopCleanly();
    }

    void disconnectsKeepTheirReasons()
    {
        const std::uint16_t admin = startWithAdmin(config());
        connectSilentMsgServer(); // one that stays
        FakeMsgServer& b = connectSilentMsgServer();
        logIn(b, kBob, kWindows);
        const std::string address = addressOf(b);
        const std::uint64_t id = numberField(peerOf(admin, b), "id");
        b.close();
        Poco::JSON::Object::Ptr last;
        pollUntil("the disconnect in /disconnects", [&] {
            const auto list = getJson(admin, "/disconnects")->getArray("disconnects");
            last = list->size() > 0 ? list->getObject(0) : nullptr;
            return last != nullptr;
        });
        CPPUNIT_ASSERT_EQUAL(id, numberField(last, "id"));
        CPPUNIT_ASSERT_EQUAL(address, stringField(last, "remote_address"));
        CPPUNIT_ASSERT_EQUAL(std::string("eof"), stringField(last, "reason"));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), numberField(last, "users_hosted"));
        CPPUNIT_ASSERT(last->getValue<double>("connected_seconds") >= 0);
        CPPUNIT_ASSERT(!stringField(last, "at").empty());
        stopCleanly();
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ConsoleEndToEndTest);
