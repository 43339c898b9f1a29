// Connection count on the real tthost with its default capacity: 600 msg servers at once
// (more than the old defaults served), each registering a user, all of them answered and
// relayed to; when they go, the server's descriptors and threads go with them. And a
// descriptor limit that cannot hold the configured capacity is warned about at start.
#include "FakeMsgServer.h"
#include "FrameAssertions.h"
#include "HostProcess.h"
#include "HostProperties.h"
#include "MsgServerChecks.h"
#include "ProtocolConstants.h"
#include "RunningHost.h"
#include "WireFrames.h"

#include <cppunit/extensions/HelperMacros.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

using tttest::FakeMsgServer;
using tttest::RunningHost;
using namespace tttest::protocol;
using namespace std::chrono_literals;

namespace
{

constexpr std::size_t kMsgServers = 600;

/// tthost with its defaults but for ephemeral listen addresses and no admin endpoint.
const std::string kConfig = tttest::HostProperties().text();

/// Open descriptors of process `pid`.
std::size_t openDescriptors(pid_t pid)
{
    std::size_t count = 0;
    std::error_code error;
    for (auto it = std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd", error);
         !error && it != std::filesystem::directory_iterator(); it.increment(error))
        ++count;
    return count;
}

/// Threads of process `pid`.
std::size_t threads(pid_t pid)
{
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(status, line);)
        if (line.rfind("Threads:", 0) == 0)
            return static_cast<std::size_t>(std::stoul(line.substr(8)));
    return 0;
}

/// Waits until `measure()` is at most `bound`; returns the last value measured (at most 30 s).
template <typename Measure>
std::size_t waitForAtMost(std::size_t bound, Measure measure)
{
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    std::size_t value = measure();
    while (value > bound && std::chrono::steady_clock::now() < deadline)
    {
        std::this_thread::sleep_for(50ms);
        value = measure();
    }
    return value;
}

} // namespace

class CapacityEndToEndTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(CapacityEndToEndTest);
    CPPUNIT_TEST(defaultCapacityServesSixHundredMsgServersAndLetsThemGo);
    CPPUNIT_TEST(descriptorLimitBelowTheCapacityIsWarnedAtStart);
    CPPUNIT_TEST_SUITE_END();

public:
    void defaultCapacityServesSixHundredMsgServersAndLetsThemGo()
    {
        RunningHost host(kConfig);
        const std::uint16_t port = host.port();
        const pid_t pid = host.process().pid();
        // The start-up line states what is served at once.
        CPPUNIT_ASSERT_MESSAGE(host.log(), host.log().find("(up to 4000 connections at once)") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(host.log(), host.log().find("open-file limit") != std::string::npos);
        const std::size_t idleFds = openDescriptors(pid);
        const std::size_t idleThreads = threads(pid);

        std::vector<std::unique_ptr<FakeMsgServer>> msgServers;
        std::vector<std::uint32_t> users;
        for (std::size_t i = 0; i < kMsgServers; ++i)
        {
            const auto user = static_cast<std::uint32_t>(20000 + i);
            msgServers.push_back(std::make_unique<FakeMsgServer>(port));
            msgServers.back()->send(tttest::onlineUserInfo({{user, kOnline, kWindows}}));
            users.push_back(user);
        }
        for (auto& msgServer : msgServers)
            tttest::assertNothing(msgServer->sync(), "a msg server, once registered");
        CPPUNIT_ASSERT_MESSAGE(host.log(), host.log().find("refused") == std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(host.log(), host.log().find("closed to make room") == std::string::npos);

        // Every user online for everyone; a relay reaches every other msg server.
        CPPUNIT_ASSERT_EQUAL(tttest::statuses(std::vector<std::uint32_t>(kMsgServers, kOnline)),
                             tttest::statuses(tttest::queryStatuses(*msgServers.back(), users)));
        std::vector<FakeMsgServer*> others;
        for (std::size_t i = 1; i < msgServers.size(); ++i)
            others.push_back(msgServers[i].get());
        tttest::assertRelayed(*msgServers.front(), others, 1, "600 msg servers");
        // A thread each (the pool's one idle thread took the first).
        CPPUNIT_ASSERT_MESSAGE("threads: " + std::to_string(threads(pid)) + ", idle " + std::to_string(idleThreads),
                               threads(pid) >= idleThreads + kMsgServers - 1);

        // All go at once: their descriptors, and a few seconds later their threads, go too.
        msgServers.clear();
        CPPUNIT_ASSERT_EQUAL_MESSAGE("tthost's open descriptors", idleFds, waitForAtMost(idleFds, [&] { return openDescriptors(pid); }));
        CPPUNIT_ASSERT_EQUAL_MESSAGE("tthost's threads", idleThreads, waitForAtMost(idleThreads, [&] { return threads(pid); }));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(host.log(), 0, host.stopWith(SIGTERM));
    }

    void descriptorLimitBelowTheCapacityIsWarnedAtStart()
    {
        // Started by a shell that lowers the hard limit first: tthost cannot raise past it.
        tttest::TempDir dir;
        const std::string config = dir.write("tthost.properties", kConfig);
        tttest::HostProcess host("/bin/sh", {"-c", "ulimit -n 512 && exec \"$0\" --config-file=\"$1\"", TTHOST_PATH, config}, dir.path(),
                                 dir.path() + "/tthost.log");
        const std::uint16_t port = host.waitForListenPort();
        CPPUNIT_ASSERT_MESSAGE(host.output(), host.waitForOutput("route.max_connections (4000) needs about 8064 open files"));
        CPPUNIT_ASSERT_MESSAGE(host.output(), host.waitForOutput("more than this process may open (512)"));
        CPPUNIT_ASSERT_MESSAGE(host.output(), host.waitForOutput("host.route.max_threads (4096 per address, 1 addresses) asks for more sockets"));
        // It serves nonetheless.
        FakeMsgServer fake(port);
        CPPUNIT_ASSERT_EQUAL(std::string("1:2 "), tttest::query(fake, {1}));
        host.signal(SIGTERM);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(host.output(), 0, host.wait());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(CapacityEndToEndTest);
