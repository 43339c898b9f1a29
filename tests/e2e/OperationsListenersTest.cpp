// Who may connect to the running tthost, changed live: host.route.listen moved to another port
// (the connections made on the old one stay), route.allow narrowed and widened again; and the
// original routeserver.conf, which names the listen address its own way. Loopback (127.0.0.1,
// and 127.0.0.2 as a client source address) and ephemeral ports only.
#include "OperationsEndToEnd.h"

#include "ConfigReloads.h"
#include "FakeMsgServer.h"
#include "LogLines.h"
#include "LoopbackSockets.h"
#include "MsgServerChecks.h"
#include "ProtocolConstants.h"
#include "RunningHost.h"
#include "ServingChecks.h"

#include <cppunit/extensions/HelperMacros.h>

#include <csignal>
#include <string>

using tttest::FakeMsgServer;
using tttest::query;
using namespace tttest::protocol;
using namespace std::chrono_literals;

class OperationsListenersTest : public OperationsEndToEnd
{
    CPPUNIT_TEST_SUITE(OperationsListenersTest);
    CPPUNIT_TEST(listenPortChangeKeepsOldConnectionsAndMovesTheListener);
    CPPUNIT_TEST(narrowedAllowlistClosesExactlyTheExcludedConnection);
    CPPUNIT_TEST(legacyRouteserverConfStartsAndServes);
    CPPUNIT_TEST_SUITE_END();

public:
    /// Issue: host.route.listen moved to another port: the connections made on the old port
    /// survive (relay, queries), the new port accepts, the old one refuses.
    void listenPortChangeKeepsOldConnectionsAndMovesTheListener()
    {
        start(heartbeatsEvery("10s"));
        const std::uint16_t oldPort = port();
        FakeMsgServer& a = connectMsgServer();
        FakeMsgServer& b = connectMsgServer();
        tttest::assertPcLoginHeardByAll(a, {&b}, 600, kWindows, "on the old port");

        const std::uint16_t newPort = tttest::freePort();
        const std::string oldAddress = "127.0.0.1:" + std::to_string(oldPort);
        const std::string newAddress = "127.0.0.1:" + std::to_string(newPort);
        const tttest::FileReload moved = tttest::reloadFile(host(), heartbeatsEvery("10s").set("host.route.listen", newAddress).text(),
                                                            {"host.route.listen: 127.0.0.1:0 -> " + newAddress});
        const std::string opened = host().waitForLine(moved.mark, {"now also listening on " + newAddress});
        const std::string closed = host().waitForLine(moved.mark, {"no longer listening on " + oldAddress + "; its 2 connections stay"});
        const std::string log = host().log();
        CPPUNIT_ASSERT_MESSAGE("the new address must open before the old one closes:\n" + log, log.find(opened) < log.find(closed));

        // The old connections still relay and are answered.
        tttest::assertRelayed(a, {&b}, 1, "old to old");
        CPPUNIT_ASSERT_EQUAL(std::string("600:1 601:2 "), query(b, {600, 601}));

        // The new port accepts and shares the same presence and relay.
        FakeMsgServer c(newPort);
        CPPUNIT_ASSERT(c.sync().empty());
        CPPUNIT_ASSERT_EQUAL(std::string("600:1 "), query(c, {600}));
        tttest::assertRelayed(a, {&b, &c}, 2, "old to old and new");
        tttest::assertRelayed(c, {&a, &b}, 3, "new to old");

        // The old port is closed: refused at once, not left waiting in a backlog.
        std::string what;
        CPPUNIT_ASSERT_MESSAGE("connecting to the old port " + oldAddress + ": " + what, tttest::connectionRefused(oldPort, what));
        CPPUNIT_ASSERT_EQUAL(std::string("600:1 "), query(a, {600}));
        CPPUNIT_ASSERT_MESSAGE(host().log(), tttest::linesWith(host().log(), {"disconnected"}).empty());
        stopCleanly();
    }

    /// Issue: route.allow narrowed to 127.0.0.1/32 closes the connection from 127.0.0.2 and
    /// only that one; 127.0.0.2 is then refused at accept; widening admits it again.
    void narrowedAllowlistClosesExactlyTheExcludedConnection()
    {
        start(heartbeatsEvery("10s"));
        FakeMsgServer& local = connectMsgServer();
        FakeMsgServer& other = connectMsgServer("127.0.0.2");
        const std::string otherAddress = other.socket().address().toString();
        CPPUNIT_ASSERT_MESSAGE(otherAddress, otherAddress.rfind("127.0.0.2:", 0) == 0);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), tttest::linesWith(host().log(), {"msg server " + otherAddress + " #", ": connected"}).size());

        const tttest::FileReload narrowed =
            tttest::reloadFile(host(), heartbeatsEvery("10s").set("route.allow", "127.0.0.1/32").text(), {"route.allow: (unset) -> 127.0.0.1/32"});
        CPPUNIT_ASSERT_MESSAGE("the 127.0.0.2 connection stays open", other.waitClosed(5s));
        const auto closing = tttest::linesWith(host().log(), {"closing, no longer in route.allow"}, narrowed.mark);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(host().log(), std::size_t(1), closing.size());
        CPPUNIT_ASSERT_MESSAGE(closing[0], closing[0].find("msg server " + otherAddress + " #") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(closing[0], closing[0].find("127.0.0.1/32") != std::string::npos);
        host().waitForLine(narrowed.mark, {"msg server " + otherAddress + " #", "disconnected"});

        // The 127.0.0.1 connection goes on as before.
        CPPUNIT_ASSERT_EQUAL(std::string("1:2 "), query(local, {1}));
        FakeMsgServer& local2 = connectMsgServer();
        tttest::assertRelayed(local, {&local2}, 1, "within the allowlist");

        // A new connection from 127.0.0.2 is refused at accept.
        const std::size_t mark = host().mark();
        FakeMsgServer refused(port(), "127.0.0.2");
        const std::string refusedAddress = refused.socket().address().toString();
        CPPUNIT_ASSERT_MESSAGE("a new 127.0.0.2 connection was not closed", refused.waitClosed(5s));
        host().waitForLine(mark, {"msg server " + refusedAddress + ": refused, not in route.allow (127.0.0.1/32)"});
        CPPUNIT_ASSERT_MESSAGE(host().log(), tttest::linesWith(host().log(), {refusedAddress, ": connected"}).empty());

        // Widened again, 127.0.0.2 is admitted and served.
        tttest::reloadFile(host(), heartbeatsEvery("10s").set("route.allow", "127.0.0.0/8").text(), {"route.allow: 127.0.0.1/32 -> 127.0.0.0/8"});
        FakeMsgServer& readmitted = connectMsgServer("127.0.0.2");
        // local2 got nothing in between, so the relay below is all it sees.
        tttest::assertRelayed(readmitted, {&local, &local2}, 2, "from the readmitted 127.0.0.2");
        CPPUNIT_ASSERT_EQUAL(std::string("1:2 "), query(readmitted, {1}));

        const std::string log = host().log();
        CPPUNIT_ASSERT_EQUAL_MESSAGE(log, std::size_t(1), tttest::linesWith(log, {"closing, no longer in route.allow"}).size());
        CPPUNIT_ASSERT_EQUAL_MESSAGE(log, std::size_t(1), tttest::linesWith(log, {"disconnected"}).size());
        stopCleanly();
    }

    /// Issue: the original routeserver.conf (tab-separated '#' comments after the values)
    /// given as "--config-file routeserver.conf" starts tthost, which serves and stops on SIGTERM.
    void legacyRouteserverConfStartsAndServes()
    {
        const std::uint16_t listenPort = tttest::freePort();
        tttest::RunningHost legacy("ListenIP=127.0.0.1\t\t# Listening IP\nListenMsgPort=" + std::to_string(listenPort) +
                                       "\t\t\t# Listening Port for MsgServer\n",
                                   {"--config-file", "routeserver.conf"}, "routeserver.conf");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(legacy.log(), listenPort, legacy.port());
        legacy.waitForLine(0, {"configuration from " + legacy.configPath()});

        auto a = tttest::connectAdmitted(listenPort);
        auto b = tttest::connectAdmitted(listenPort);
        tttest::assertPcLoginHeardByAll(*a, {b.get()}, 700, kWindows, "legacy config");
        CPPUNIT_ASSERT_EQUAL(std::string("700:1 701:2 "), query(*b, {700, 701}));
        tttest::assertRelayed(*a, {b.get()}, 1, "legacy config");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(legacy.log(), 0, legacy.stopWith(SIGTERM));
        CPPUNIT_ASSERT(a->waitClosed());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(OperationsListenersTest);
