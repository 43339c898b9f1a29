// The SDK as a user meets it: this build installed into a temporary prefix with `cmake
// --install`, and the two embedding examples of tests/embedding configured and built as
// projects of their own, with nothing but that prefix on CMAKE_PREFIX_PATH. Each is started on
// ephemeral loopback ports and driven by fake msg servers: presence, a status query, a relayed
// message, a status notification. The server application also has its properties file
// changed while it runs, and its own echo service must keep working throughout.
#include "AdminHttp.h"
#include "HostProcess.h"
#include "PollUntil.h"
#include "ServingChecks.h"

#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <cppunit/extensions/HelperMacros.h>

#include <chrono>
#include <csignal>
#include <regex>
#include <string>
#include <thread>
#include <vector>

using tttest::HostProcess;
using tttest::TempDir;
using namespace std::chrono_literals;

namespace
{

/// This build installed into a temporary prefix, and the examples built against it; made once
/// for the suite.
class InstalledSdk
{
public:
    static InstalledSdk& get()
    {
        static InstalledSdk sdk;
        return sdk;
    }

    /// The executable of example `name` (a directory of tests/embedding).
    std::string example(const std::string& name) const { return root_.path() + "/build-" + name + "/" + name; }

    /// The installation prefix.
    std::string prefix() const { return root_.path() + "/prefix"; }

private:
    InstalledSdk()
    {
        run({"--install", TTROUTE_BINARY_DIR, "--prefix", prefix()}, "cmake --install");
        for (const std::string name : {"echo_server", "bare_tcpserver"})
        {
            const std::string build = root_.path() + "/build-" + name;
            run({"-S", std::string(TTROUTE_SOURCE_DIR) + "/tests/embedding/" + name, "-B", build, "-DCMAKE_PREFIX_PATH=" + prefix(),
                 "-DCMAKE_BUILD_TYPE=Release"},
                "configuring " + name);
            run({"--build", build}, "building " + name);
        }
    }

    void run(const std::vector<std::string>& args, const std::string& what) const
    {
        std::string output;
        const int status = tttest::runToCompletion(CMAKE_COMMAND, args, root_.path(), output, 240s);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(what + ":\n" + output, 0, status);
    }

    TempDir root_;
};

/// The port of the first line of `process`'s output that contains `prefix` followed by
/// "127.0.0.1:PORT", waiting up to 10 s for it.
std::uint16_t portAfter(const HostProcess& process, const std::string& prefix)
{
    const std::regex line(prefix + "127\\.0\\.0\\.1:([0-9]+)");
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    for (;;)
    {
        const std::string output = process.output();
        std::smatch match;
        if (std::regex_search(output, match, line))
            return static_cast<std::uint16_t>(std::stoi(match[1]));
        if (std::chrono::steady_clock::now() >= deadline)
            CPPUNIT_FAIL("no line with '" + prefix + "127.0.0.1:PORT' within 10 s; the output:\n" + output);
        std::this_thread::sleep_for(20ms);
    }
}

/// The body of GET `path` from 127.0.0.1:`port`, which must answer 200.
std::string httpGet(std::uint16_t port, const std::string& path)
{
    const tttest::HttpReply reply = tttest::http(port, path);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(tttest::describe(path, reply), 200, reply.status);
    return reply.body;
}

/// Sends `line` on an echo connection and expects it back.
void assertEchoes(Poco::Net::StreamSocket& echo, const std::string& line)
{
    echo.sendBytes(line.data(), static_cast<int>(line.size()));
    std::string back;
    char buffer[256];
    while (back.size() < line.size())
    {
        const int n = echo.receiveBytes(buffer, sizeof buffer);
        CPPUNIT_ASSERT_MESSAGE("the echo service closed the connection", n > 0);
        back.append(buffer, static_cast<std::size_t>(n));
    }
    CPPUNIT_ASSERT_EQUAL(line, back);
}

} // namespace

class EmbeddingEndToEndTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(EmbeddingEndToEndTest);
    CPPUNIT_TEST(serverApplicationServesRouteAndEchoAndReloadsLive);
    CPPUNIT_TEST(bareTcpServerServesTheRoutePlugin);
    CPPUNIT_TEST_SUITE_END();

public:
    void serverApplicationServesRouteAndEchoAndReloadsLive()
    {
        const InstalledSdk& sdk = InstalledSdk::get();
        TempDir dir;
        const std::string base = "echo.listen = 127.0.0.1:0\n"
                                 "host.admin.listen = 127.0.0.1:0\n"
                                 "route.heartbeat_interval = 1h\n";
        const std::string file = dir.write("echo_server.properties", base + "host.route.listen = 127.0.0.1:0\n");
        HostProcess app(sdk.example("echo_server"), {file}, dir.path(), dir.path() + "/output.log");
        const std::uint16_t route = portAfter(app, "\\) listening on ");
        const std::uint16_t echoPort = portAfter(app, "echo listening on ");
        const std::uint16_t admin = portAfter(app, "admin endpoint at http://");
        CPPUNIT_ASSERT_MESSAGE(app.output(), app.output().find(sdk.prefix()) != std::string::npos); // the installed plugin

        // Its own service and the route server, side by side; the admin endpoint too.
        Poco::Net::StreamSocket echo(Poco::Net::SocketAddress("127.0.0.1", echoPort));
        assertEchoes(echo, "before\n");
        tttest::assertRoutesBetweenTwoMsgServers(route, 9001, "before the reload");
        // The route check's msg servers have closed; the route server retires them on their own threads.
        tttest::pollUntil([&] { return "no msg server connected in /metrics; output:\n" + app.output(); },
                          [&] { return httpGet(admin, "/metrics").find("ttroute_connected_msg_servers 0") != std::string::npos; });

        // A second listen address in its file: opened live, with the first one still served.
        tttest::TempDir next;
        const std::string changed = next.write("echo_server.properties", base + "host.route.listen = 127.0.0.1:0, 127.0.0.1:0\n");
        CPPUNIT_ASSERT_EQUAL(0, std::rename(changed.c_str(), file.c_str()));
        CPPUNIT_ASSERT_MESSAGE(app.output(), app.waitForOutput("configuration reloaded after " + file + " changed: host.route.listen"));
        const std::uint16_t added = portAfter(app, "now also listening on ");
        assertEchoes(echo, "during\n");
        tttest::assertRoutesBetweenTwoMsgServers(added, 9002, "on the address added");
        tttest::assertRoutesBetweenTwoMsgServers(route, 9003, "on the first address after the reload");
        assertEchoes(echo, "after\n");

        app.signal(SIGTERM);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(app.output(), 0, app.wait());
    }

    void bareTcpServerServesTheRoutePlugin()
    {
        const InstalledSdk& sdk = InstalledSdk::get();
        TempDir dir;
        HostProcess program(sdk.example("bare_tcpserver"), {}, dir.path(), dir.path() + "/output.log");
        const std::uint16_t route = portAfter(program, "route server listening on ");
        tttest::assertRoutesBetweenTwoMsgServers(route, 9101, "bare TCPServer");
        program.signal(SIGTERM);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(program.output(), 0, program.wait());
        CPPUNIT_ASSERT_MESSAGE(program.output(), program.output().find("stopped") != std::string::npos);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(EmbeddingEndToEndTest);
