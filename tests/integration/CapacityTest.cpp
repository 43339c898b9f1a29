// When route.max_connections are served, who makes room for a new connection: the oldest
// connection that has sent no whole PDU, then the oldest that has sent nothing a msg server
// routes or registers; never one that has. The plugin loaded through Poco::ClassLoader and
// served on a loopback ephemeral port, driven by fake msg servers over real sockets.
#include "FakeMsgServer.h"
#include "FrameAssertions.h"
#include "MsgServerChecks.h"
#include "ProtocolConstants.h"
#include "ServedPluginFixture.h"
#include "WireFrames.h"

#include <cppunit/extensions/HelperMacros.h>

#include <memory>
#include <string>
#include <vector>

using tttest::assertNothing;
using tttest::FakeMsgServer;
using namespace tttest::protocol;

class CapacityTest : public tttest::ServedPluginFixture
{
    CPPUNIT_TEST_SUITE(CapacityTest);
    CPPUNIT_TEST(roomIsMadeByTheOldestSilentThenTheOldestChattyConnection);
    CPPUNIT_TEST(msgServersAreNeverClosedToMakeRoom);
    CPPUNIT_TEST_SUITE_END();

public:
    CapacityTest()
        : ServedPluginFixture(TTROUTE_PLUGIN_PATH)
    {
    }

    void roomIsMadeByTheOldestSilentThenTheOldestChattyConnection()
    {
        start({{"max_connections", "4"}});
        auto msgServer = tttest::connectAdmitted(port());
        msgServer->send(tttest::onlineUserInfo({{5001, kOnline, kWindows}}));
        assertNothing(msgServer->sync(), "the msg server");
        auto silentOld = connectSilently();
        auto chatty = std::make_unique<FakeMsgServer>(port());
        chatty->send(tttest::heartbeat());
        assertNothing(chatty->sync(), "the chatty one"); // a heartbeat and a query: whole PDUs, nothing routed
        auto silentNew = connectSilently();

        // Full: each newcomer makes room, the oldest silent connection first. (Each newcomer
        // then asks a query, so it is silent no more.)
        auto first = std::make_unique<FakeMsgServer>(port());
        assertMadeRoom(*first, *silentOld, "it had sent no whole PDU in the ");
        assertNothing(first->sync(), "the first newcomer");
        auto second = std::make_unique<FakeMsgServer>(port());
        assertMadeRoom(*second, *silentNew, "it had sent no whole PDU in the ");
        assertNothing(second->sync(), "the second newcomer");
        // No silent one left: the oldest one that routed and registered nothing.
        auto third = std::make_unique<FakeMsgServer>(port());
        assertMadeRoom(*third, *chatty, "it had sent nothing but heartbeats, queries or commands nobody routes in the ");
        assertNothing(third->sync(), "the third newcomer");

        // The msg server noticed nothing and works on, with those admitted.
        tttest::assertRelayed(*msgServer, {first.get(), second.get(), third.get()}, 1, "after making room");
        CPPUNIT_ASSERT_EQUAL(tttest::statuses({kOnline}), tttest::statuses(tttest::queryStatuses(*third, {5001})));
        CPPUNIT_ASSERT_MESSAGE(served().log(), served().log().find("refused") == std::string::npos);
    }

    void msgServersAreNeverClosedToMakeRoom()
    {
        start({{"max_connections", "3"}});
        // Established in each way a msg server shows itself: registering, changing a status,
        // relaying, naming its role.
        std::vector<std::unique_ptr<FakeMsgServer>> msgServers;
        for (const std::string& hello : {tttest::onlineUserInfo({}), tttest::statusUpdate(6001, kOnline, kMac), tttest::roleSet(true)})
        {
            msgServers.push_back(tttest::connectAdmitted(port()));
            msgServers.back()->send(hello);
            msgServers.back()->sync();
        }
        const std::string refusal = "refused, max_connections (3) are served already, every one of them a msg server";
        FakeMsgServer refused(port());
        CPPUNIT_ASSERT_MESSAGE(served().log(), refused.waitClosed());
        CPPUNIT_ASSERT_MESSAGE(served().log(), !served().waitForLine({refused.logName(), refusal}).empty());
        // A relay counts too: one of them relays, and a fourth connection is still refused.
        msgServers[2]->send(tttest::msgData(6001, 6002, 1, "still here"));
        msgServers[2]->sync();
        FakeMsgServer again(port());
        CPPUNIT_ASSERT_MESSAGE(served().log(), again.waitClosed());
        CPPUNIT_ASSERT_MESSAGE(served().log(), !served().waitForLine({again.logName(), refusal}).empty());
        CPPUNIT_ASSERT(served().log().find("closed to make room") == std::string::npos);
        for (auto& msgServer : msgServers)
            msgServer->sync(); // all still served
    }

private:
    /// A connection that sends nothing, once the route server has admitted it.
    std::unique_ptr<FakeMsgServer> connectSilently()
    {
        auto fake = std::make_unique<FakeMsgServer>(port());
        CPPUNIT_ASSERT_MESSAGE(served().log(), !served().waitForLine({fake->logName(), ": connected"}).empty());
        return fake;
    }

    /// `newcomer` was admitted by closing `evicted`, as the log says, for the reason `why`.
    void assertMadeRoom(FakeMsgServer& newcomer, FakeMsgServer& evicted, const std::string& why)
    {
        CPPUNIT_ASSERT_MESSAGE(served().log(), evicted.waitClosed());
        CPPUNIT_ASSERT_MESSAGE(served().log(), !served().waitForLine({newcomer.logName(), ": connected; max_connections (4) were served, so msg server " +
                                                                                            evicted.logName()}).empty());
        CPPUNIT_ASSERT_MESSAGE(served().log(), !served().waitForLine({evicted.logName(), "disconnected (evicted): closed to make room", why}).empty());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(CapacityTest);
