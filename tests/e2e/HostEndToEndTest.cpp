// The real tthost binary as a child process: started with a temporary properties file from a
// temporary working directory, serving the route plugin on 127.0.0.1 (ephemeral ports only),
// stopped by signals; its command line and its configuration errors (exit status 78).
#include "FakeMsgServer.h"
#include "HostProcess.h"
#include "HostProperties.h"
#include "MsgServerChecks.h"
#include "ProtocolConstants.h"
#include "RunningHost.h"
#include "ServingChecks.h"
#include "ShippedConfig.h"
#include "WireFrames.h"

#include <Poco/File.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>

#include "tthost/ServerPlugin.h"

#include <cppunit/extensions/HelperMacros.h>

#include <csignal>
#include <iostream>
#include <regex>
#include <sstream>
#include <thread>

using tttest::FakeMsgServer;
using tttest::query;
using tttest::RunningHost;
using tttest::TempDir;
using namespace tttest::protocol;
using namespace std::chrono_literals;

namespace
{

constexpr int kExitConfig = 78;

/// Every test's starting point: the route plugin on an ephemeral loopback port, no admin
/// endpoint, a drain timeout of 2 s.
tttest::HostProperties baseProperties()
{
    return tttest::HostProperties("HostEndToEndTest").set("host.drain_timeout", "2s");
}

/// The non-empty lines of `text`.
std::vector<std::string> linesOf(const std::string& text)
{
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        if (!line.empty())
            lines.push_back(line);
    return lines;
}

/// A finished tthost run, its stdout and stderr kept apart.
struct Run
{
    int status = -1;
    std::string out;
    std::string err;

    /// The run, for failure messages.
    std::string describe() const { return "exit " + std::to_string(status) + "\n--- stdout\n" + out + "--- stderr\n" + err; }

    /// True when tthost said it listened: a run that should have stopped before must not.
    bool listened() const { return (out + err).find("listening on") != std::string::npos; }
};

/// Runs tthost with `args` from `workDir` to completion; kills it after `timeout`.
Run runHost(const std::vector<std::string>& args, const std::string& workDir, std::chrono::milliseconds timeout = 20s)
{
    TempDir scratch;
    const std::string outFile = scratch.path() + "/stdout";
    const std::string errFile = scratch.path() + "/stderr";
    Run run;
    {
        tttest::HostProcess process(TTHOST_PATH, args, workDir, outFile, errFile);
        run.status = process.wait(timeout); // -1 when it still runs: killed and reaped as `process` goes
    }
    run.out = tttest::readFile(outFile);
    run.err = tttest::readFile(errFile);
    return run;
}

/// Writes `properties` as tthost.properties in `dir` and runs tthost on it from `dir`.
Run runWithConfig(const TempDir& dir, const tttest::HostProperties& properties)
{
    const std::string file = dir.write("tthost.properties", properties.text());
    return runHost({"--config-file=" + file}, dir.path());
}

/// Presence and relay through a running tthost on `port`, with three fake msg servers.
void exerciseRouting(std::uint16_t port)
{
    const auto a = tttest::connectAdmitted(port);
    const auto b = tttest::connectAdmitted(port);
    const auto c = tttest::connectAdmitted(port);

    a->send(tttest::onlineUserInfo({{201, kOnline, 0x12}}));
    tttest::assertPcLoginHeardByAll(*a, {b.get(), c.get()}, 202, kWindows, "a login through tthost");
    CPPUNIT_ASSERT_EQUAL(std::string("202:1 201:2 203:2 "), query(*b, {202, 201, 203}));
    tttest::assertRelayed(*a, {b.get(), c.get()}, 42, "a message through tthost");

    // Log 202 off, so closing these connections announces nobody to whoever connects next.
    a->send(tttest::statusUpdate(202, kOffline, kWindows));
    a->sync();
}

/// Stops `host` with `signal` (named `signalName` in tthost's log) while `connected` is
/// connected: tthost exits 0, closes the connection, and logs that it stops and stopped.
void assertStopsCleanlyOn(RunningHost& host, int signal, const std::string& signalName, FakeMsgServer& connected)
{
    CPPUNIT_ASSERT_EQUAL_MESSAGE(host.process().output(), 0, host.stopWith(signal));
    CPPUNIT_ASSERT(connected.waitClosed());
    const std::string output = host.process().output();
    CPPUNIT_ASSERT_MESSAGE(output, output.find("received " + signalName + ", stopping") != std::string::npos);
    CPPUNIT_ASSERT_MESSAGE(output, output.find("tthost: stopped\n") != std::string::npos);
}

/// Asserts a configuration error: exit 78, and exactly one stderr line
/// "tthost: configuration error: <key>: <problem>" mentioning `mentions`.
void assertConfigError(const Run& run, const std::string& key, const std::string& mentions = "")
{
    CPPUNIT_ASSERT_EQUAL_MESSAGE(run.describe(), kExitConfig, run.status);
    const std::string prefix = "tthost: configuration error: ";
    std::vector<std::string> errors;
    for (const auto& line : linesOf(run.err))
        if (line.find("configuration error") != std::string::npos)
            errors.push_back(line);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(run.describe(), std::size_t(1), errors.size());
    const std::string& line = errors[0];
    CPPUNIT_ASSERT_MESSAGE(run.describe(), line.rfind(prefix + key + ": ", 0) == 0);
    CPPUNIT_ASSERT_MESSAGE(run.describe(), line.size() > prefix.size() + key.size() + 2);
    if (!mentions.empty())
        CPPUNIT_ASSERT_MESSAGE(run.describe(), line.find(mentions) != std::string::npos);
    CPPUNIT_ASSERT_MESSAGE(run.describe(), run.out.find("configuration error") == std::string::npos);
    CPPUNIT_ASSERT_MESSAGE(run.describe(), !run.listened());
}

} // namespace

class HostEndToEndTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(HostEndToEndTest);
    CPPUNIT_TEST(helpPrintsUsageAndExitsZero);
    CPPUNIT_TEST(versionPrintsVersionAndExitsZero);
    CPPUNIT_TEST(servesStatusQueryAndRelayThenStopsOnSigterm);
    CPPUNIT_TEST(sigintAlsoStopsCleanly);
    CPPUNIT_TEST(everyListenAddressServesTheSamePresence);
    CPPUNIT_TEST(unknownPluginLibraryIsAConfigurationError);
    CPPUNIT_TEST(unknownPluginClassIsAConfigurationError);
    CPPUNIT_TEST(pluginOfAnotherApiVersionIsRefusedUnopened);
    CPPUNIT_TEST(badListenAddressIsAConfigurationError);
    CPPUNIT_TEST(portInUseIsAConfigurationError);
    CPPUNIT_TEST(badPluginValueIsAConfigurationError);
    CPPUNIT_TEST(unknownPluginKeyIsAConfigurationError);
    CPPUNIT_TEST(unknownHostKeyIsAConfigurationError);
    CPPUNIT_TEST(missingConfigFileIsAConfigurationError);
    CPPUNIT_TEST(configFileOptionWithoutArgumentExits78);
    CPPUNIT_TEST(configurationErrorIsTheOnlyLineOnStderr);
    CPPUNIT_TEST(shippedDefaultConfigStarts);
    CPPUNIT_TEST_SUITE_END();

public:
    void helpPrintsUsageAndExitsZero()
    {
        TempDir dir;
        for (const char* option : {"--help", "-h"})
        {
            const Run run = runHost({option}, dir.path());
            CPPUNIT_ASSERT_EQUAL_MESSAGE(run.describe(), 0, run.status);
            CPPUNIT_ASSERT_MESSAGE(run.describe(), run.out.find("usage: tthost") != std::string::npos);
            CPPUNIT_ASSERT_MESSAGE(run.describe(), run.out.find("--config-file=FILE") != std::string::npos);
            CPPUNIT_ASSERT_MESSAGE(run.describe(), run.out.find("--version") != std::string::npos);
            CPPUNIT_ASSERT_MESSAGE(run.describe(), run.out.find("78") != std::string::npos);
            CPPUNIT_ASSERT_MESSAGE(run.describe(), !run.listened());
        }
    }

    void versionPrintsVersionAndExitsZero()
    {
        TempDir dir;
        static const std::regex version(R"(^tthost [0-9]+\.[0-9]+\.[0-9]+\s*$)");
        for (const char* option : {"--version", "-v"})
        {
            const Run run = runHost({option}, dir.path());
            CPPUNIT_ASSERT_EQUAL_MESSAGE(run.describe(), 0, run.status);
            CPPUNIT_ASSERT_MESSAGE(run.describe(), std::regex_match(run.out, version));
            CPPUNIT_ASSERT_MESSAGE(run.describe(), !run.listened());
        }
    }

    void servesStatusQueryAndRelayThenStopsOnSigterm()
    {
        // A relative --config-file is read from the working directory, a temporary one, so the
        // plugin must be found from wherever tthost is started.
        RunningHost host(baseProperties().set("route.heartbeat_interval", "5s").text());
        const std::uint16_t port = host.port();
        CPPUNIT_ASSERT_MESSAGE(host.process().output(),
                               host.process().output().find("configuration from " + host.dir().path() + "/tthost.properties") != std::string::npos);
        exerciseRouting(port);

        const auto idle = tttest::connectAdmitted(port);
        assertStopsCleanlyOn(host, SIGTERM, "Terminated", *idle);
    }

    void sigintAlsoStopsCleanly()
    {
        RunningHost host(baseProperties().text());
        const std::uint16_t port = host.port();
        FakeMsgServer fake(port);
        CPPUNIT_ASSERT_EQUAL(std::string("1:2 "), query(fake, {1}));
        assertStopsCleanlyOn(host, SIGINT, "Interrupt", fake);
    }

    void everyListenAddressServesTheSamePresence()
    {
        RunningHost host(tttest::HostProperties().set("host.route.listen", "127.0.0.1:0, 127.0.0.1:0").text());
        const std::uint16_t first = host.port(0);
        const std::uint16_t second = host.port(1);
        CPPUNIT_ASSERT(first != second);
        const auto a = tttest::connectAdmitted(first);
        const auto b = tttest::connectAdmitted(second);
        tttest::assertPcLoginHeardByAll(*a, {b.get()}, 301, kMac, "a login on the first address");
        CPPUNIT_ASSERT_EQUAL(std::string("301:1 "), query(*b, {301}));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(host.process().output(), 0, host.stopWith(SIGTERM));
    }

    void unknownPluginLibraryIsAConfigurationError()
    {
        TempDir dir;
        assertConfigError(runWithConfig(dir, baseProperties().set("host.route.library", "nosuchlib")), "host.route.library", "libnosuchlib.so");
    }

    void pluginOfAnotherApiVersionIsRefusedUnopened()
    {
        // Exit 78 and the one line naming both versions; had tthost called into the library
        // (its Poco manifest), it would have aborted instead.
        TempDir dir;
        const std::string library = TTROUTE_WRONG_API_PLUGIN_PATH;
        const Run run = runWithConfig(dir, baseProperties().set("host.route.library", library));
        assertConfigError(run, "host.route.library",
                          library + " is built for plugin API version " + std::to_string(tthost::kPluginApiVersion + 1) +
                              "; this host needs version " + std::to_string(tthost::kPluginApiVersion));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(run.describe(), std::size_t(1), linesOf(run.err).size());
    }

    void unknownPluginClassIsAConfigurationError()
    {
        TempDir dir;
        assertConfigError(runWithConfig(dir, baseProperties().set("host.route.class", "Nope")), "host.route.class", "RoutePlugin");
    }

    void badListenAddressIsAConfigurationError()
    {
        TempDir dir;
        assertConfigError(runWithConfig(dir, tttest::HostProperties().set("host.route.listen", "127.0.0.1:notaport")), "host.route.listen", "127.0.0.1:notaport");
    }

    void portInUseIsAConfigurationError()
    {
        Poco::Net::ServerSocket taken;
        taken.bind(Poco::Net::SocketAddress("127.0.0.1", 0), false, false);
        taken.listen(4);
        const std::string address = "127.0.0.1:" + std::to_string(taken.address().port());
        TempDir dir;
        assertConfigError(runWithConfig(dir, tttest::HostProperties().set("host.route.listen", address)), "host.route.listen", address);
    }

    void badPluginValueIsAConfigurationError()
    {
        TempDir dir;
        assertConfigError(runWithConfig(dir, baseProperties().set("route.idle_timeout", "soon")), "route.idle_timeout", "soon");
    }

    void unknownPluginKeyIsAConfigurationError()
    {
        TempDir dir;
        assertConfigError(runWithConfig(dir, baseProperties().set("route.idle_timout", "5")), "route.idle_timout");
    }

    void unknownHostKeyIsAConfigurationError()
    {
        TempDir dir;
        assertConfigError(runWithConfig(dir, baseProperties().set("host.route.max_thread", "4")), "host.route.max_thread");
    }

    void missingConfigFileIsAConfigurationError()
    {
        TempDir dir;
        assertConfigError(runHost({"--config-file=nosuch.properties"}, dir.path()), "--config-file", "nosuch.properties");
    }

    void configFileOptionWithoutArgumentExits78()
    {
        TempDir dir;
        const Run run = runHost({"--config-file"}, dir.path());
        CPPUNIT_ASSERT_EQUAL_MESSAGE(run.describe(), kExitConfig, run.status);
        CPPUNIT_ASSERT_MESSAGE(run.describe(), run.err.find("config-file") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(run.describe(), !run.listened());
    }

    void configurationErrorIsTheOnlyLineOnStderr()
    {
        // README and the host's contract: exit 78 "with one line on stderr that names the key".
        TempDir dir;
        const Run run = runWithConfig(dir, baseProperties().set("route.idle_timeout", "soon"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(run.describe(), kExitConfig, run.status);
        const auto lines = linesOf(run.err);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("stderr should be the one error line; " + run.describe(), std::size_t(1), lines.size());
        CPPUNIT_ASSERT_EQUAL(std::string("tthost: configuration error: route.idle_timeout: 'soon' is not a duration (e.g. 5s, 250ms)"),
                             lines[0]);
    }

    void shippedDefaultConfigStarts()
    {
        const std::string shipped = std::string(TTROUTE_SOURCE_DIR) + "/conf/tthost.properties";
        if (!Poco::File(shipped).exists())
        {
            std::cerr << "\n  SKIPPED shippedDefaultConfigStarts: " << shipped << " does not exist yet\n";
            return;
        }
        const std::string config = tttest::withEphemeralListen(tttest::readFile(shipped));
        CPPUNIT_ASSERT_MESSAGE(config, std::regex_search(config, std::regex(R"(host\.route\.listen\s*=\s*127\.0\.0\.1:0)")));
        for (const auto& line : linesOf(config))
            CPPUNIT_ASSERT_MESSAGE("a test must never listen on 8200: " + line,
                                   line.find(":8200") == std::string::npos || line.find_first_not_of(" \t") == line.find('#'));
        RunningHost host(config);
        const std::uint16_t port = host.port();
        FakeMsgServer fake(port);
        CPPUNIT_ASSERT_EQUAL(std::string("1:2 "), query(fake, {1}));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(host.process().output(), 0, host.stopWith(SIGTERM));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(HostEndToEndTest);
