// integration_plugin, the plugin's life as tthost leads it: libttroute.so exports RoutePlugin
// to Poco::ClassLoader, start() refuses a bad configuration naming the key, and stop() ends
// every connection, delivering what was queued, and refuses those that come after
// (host/include/tthost/ServerPlugin.h).
#include "DiagnosticText.h"
#include "FakeMsgServer.h"
#include "FrameAssertions.h"
#include "MsgServerChecks.h"
#include "ProtocolConstants.h"
#include "ServedPluginFixture.h"
#include "WireFrames.h"

#include "tthost/ConfigError.h"
#include "tthost/ServerPlugin.h"

#include <Poco/ClassLoader.h>
#include <Poco/Exception.h>
#include <Poco/Timespan.h>

#include <cppunit/extensions/HelperMacros.h>

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

using namespace tttest;
using namespace tttest::protocol;
using namespace std::chrono_literals;

namespace
{

/// Reads `fake` until the route server closes it and returns the frames that came first.
std::vector<WireFrame> framesUntilClosed(FakeMsgServer& fake, std::chrono::milliseconds timeout = 10s)
{
    std::vector<WireFrame> frames;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    try
    {
        for (;;)
        {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0)
                CPPUNIT_FAIL("the route server did not close the connection");
            frames.push_back(fake.receive(left));
        }
    }
    catch (const Poco::Exception&)
    {
    }
    return frames;
}

} // namespace

class PluginLifecycleTest : public tttest::ServedPluginFixture
{
    CPPUNIT_TEST_SUITE(PluginLifecycleTest);
    CPPUNIT_TEST(libraryExportsRoutePlugin);
    CPPUNIT_TEST(startRejectsBadConfigurationNamingTheKey);
    CPPUNIT_TEST(stopEndsEveryConnectionAndReturns);
    CPPUNIT_TEST(connectionsAfterStopAreRefused);
    CPPUNIT_TEST_SUITE_END();

public:
    PluginLifecycleTest()
        : ServedPluginFixture(TTROUTE_PLUGIN_PATH)
    {
    }

    void libraryExportsRoutePlugin()
    {
        Poco::ClassLoader<tthost::ServerPlugin> loader;
        loader.loadLibrary(TTROUTE_PLUGIN_PATH);
        CPPUNIT_ASSERT(loader.canCreate("RoutePlugin"));
        CPPUNIT_ASSERT(loader.findClass("Nope") == nullptr);
        {
            std::unique_ptr<tthost::ServerPlugin> plugin(loader.create("RoutePlugin"));
            CPPUNIT_ASSERT_EQUAL(std::string("ttroute"), plugin->name());
            CPPUNIT_ASSERT(!plugin->version().empty());
        }
        loader.unloadLibrary(TTROUTE_PLUGIN_PATH);
    }

    void startRejectsBadConfigurationNamingTheKey()
    {
        const std::vector<std::pair<ServedPlugin::Settings, std::string>> cases = {
            {{{"idle_timeout", "soon"}}, "idle_timeout"},
            {{{"heartbeat_interval", "1ms"}}, "heartbeat_interval"},
            {{{"max_pdu_bytes", "lots"}}, "max_pdu_bytes"},
            {{{"max_status_query_ids", "0"}}, "max_status_query_ids"},
            {{{"max_outbox_bytes", "1"}}, "max_outbox_bytes"},
            {{{"relay.mode", "multicast"}}, "relay.mode"},
            {{{"idle_timout", "5"}}, "idle_timout"},
        };
        for (const auto& [settings, key] : cases)
        {
            try
            {
                ServedPlugin plugin(TTROUTE_PLUGIN_PATH, settings);
                CPPUNIT_FAIL("start() accepted a bad " + key);
            }
            catch (const tthost::ConfigError& error)
            {
                CPPUNIT_ASSERT_EQUAL_MESSAGE(error.what(), key, error.key());
                CPPUNIT_ASSERT_MESSAGE(key, !error.problem().empty());
            }
        }
    }

    void stopEndsEveryConnectionAndReturns()
    {
        start();
        auto [a, b, c] = admitMsgServers<3>();
        a->send(tttest::onlineUserInfo({{161, kOnline, kWindows}}));
        const std::string message = tttest::msgData(161, 162, 1, patternedBytes(64 * 1024, 2));
        a->send(message);
        assertNothing(a->sync(), "a");

        // As tthost does it: stop accepting, then stop the plugin.
        served().stopAccepting();
        served().stopPlugin(Poco::Timespan(2, 0));

        // What was queued before stop() is delivered, then every client sees EOF.
        for (FakeMsgServer* other : {b.get(), c.get()})
        {
            const auto got = framesUntilClosed(*other);
            CPPUNIT_ASSERT_MESSAGE(describeFrames(got), !got.empty());
            assertSameBytes(message, got[0].bytes, "queued before stop");
        }
        framesUntilClosed(*a);
        CPPUNIT_ASSERT_MESSAGE(served().log(), served().waitForLog("disconnected (shutdown)"));
    }

    void connectionsAfterStopAreRefused()
    {
        start();
        auto a = connectAdmitted(port());
        served().stopPlugin(Poco::Timespan(1, 0));
        CPPUNIT_ASSERT(a->waitClosed());
        // The listener still accepts (outside the contract), but the plugin turns the connection away.
        FakeMsgServer late(port());
        CPPUNIT_ASSERT(late.waitClosed());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PluginLifecycleTest);
