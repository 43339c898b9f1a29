// tthost --daemon --pidfile as an init script starts it: the launcher waits for the daemon's
// start-up and exits 0 (or 78 with the configuration error where the operator sees it), the pid
// file names the daemon, which logs to its FileChannel, serves, and on SIGTERM exits and removes
// the pid file. The daemon is no child of the test: DaemonGuard kills it if a test fails midway.
#include "OperationsEndToEnd.h"

#include "DaemonGuard.h"
#include "FakeMsgServer.h"
#include "HostProcess.h"
#include "LogLines.h"
#include "MsgServerChecks.h"
#include "PollUntil.h"

#include <Poco/File.h>

#include <cppunit/extensions/HelperMacros.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <regex>
#include <string>

using tttest::HostProcess;
using tttest::TempDir;
using namespace std::chrono_literals;

namespace
{

/// Waits (a few seconds at most) until the file at `path` no longer exists; fails the test,
/// naming it `what`, when it is still there.
void waitUntilGone(const std::string& path, const std::string& what)
{
    tttest::pollUntil(what + " gone: " + path, [&] { return !Poco::File(path).exists(); }, 5s);
}

} // namespace

class OperationsDaemonTest : public OperationsEndToEnd
{
    CPPUNIT_TEST_SUITE(OperationsDaemonTest);
    CPPUNIT_TEST(daemonWritesPidFileServesAndStopsOnSigterm);
    CPPUNIT_TEST(daemonWithBadConfigurationFailsInTheLauncher);
    CPPUNIT_TEST_SUITE_END();

public:
    /// Issue: --daemon --pidfile with relative paths: the launcher exits 0 at once, the pid file
    /// names the running daemon, which logs to its FileChannel, serves, and on SIGTERM exits
    /// and removes the pid file.
    void daemonWritesPidFileServesAndStopsOnSigterm()
    {
        TempDir dir;
        const std::string logFile = dir.path() + "/daemon.log";
        const std::string pidFile = dir.path() + "/tthost.pid";
        dir.write("tthost.properties", baseProperties()
                                           .set("logging.channels.file.class", "FileChannel")
                                           .set("logging.channels.file.path", logFile)
                                           .set("logging.loggers.root.channel", "file")
                                           .text());
        DaemonGuard guard(dir.path());
        HostProcess launcher(TTHOST_PATH, {"--daemon", "--pidfile=tthost.pid", "--config-file=tthost.properties"}, dir.path(),
                             dir.path() + "/launcher.out");
        const pid_t launcherPid = launcher.pid();
        const int launched = launcher.wait(5s);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("the launching process must exit 0 at once: " + launcher.output(), 0, launched);

        // The pid file appears (the daemon writes it after the fork) and names a live process.
        pid_t pid = 0;
        tttest::pollUntil([&] { return "a pid in " + pidFile + "; the log:\n" + tttest::readFile(logFile); },
                          [&] {
                              const std::string text = tttest::readFile(pidFile);
                              if (!text.empty() && text.back() == '\n')
                                  pid = static_cast<pid_t>(std::atoi(text.c_str()));
                              return pid > 0;
                          },
                          10s);
        guard.watch(pid);
        CPPUNIT_ASSERT_MESSAGE("the pid file names the launcher", pid != launcherPid);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("kill(pid, 0)", 0, ::kill(pid, 0));
        CPPUNIT_ASSERT_MESSAGE("the daemon is not running", !processGone(pid));

        // It logs to the file named in its configuration; the port comes from there.
        const std::string listening = tttest::waitForLine([&] { return tttest::readFile(logFile); }, 0, {"listening on 127.0.0.1:"});
        std::smatch match;
        CPPUNIT_ASSERT_MESSAGE(listening, std::regex_search(listening, match, std::regex("listening on 127\\.0\\.0\\.1:([0-9]+)")));
        const auto port = static_cast<std::uint16_t>(std::stoi(match[1]));
        CPPUNIT_ASSERT(port != 0 && port != 8200);
        CPPUNIT_ASSERT_MESSAGE(launcher.output(), launcher.output().find("listening on") == std::string::npos);
        {
            tttest::FakeMsgServer fake(port);
            CPPUNIT_ASSERT_EQUAL(std::string("1:2 "), tttest::query(fake, {1}));
        }

        CPPUNIT_ASSERT_EQUAL(0, ::kill(pid, SIGTERM));
        tttest::pollUntil([&] { return "the daemon to exit after SIGTERM; its log:\n" + tttest::readFile(logFile); }, [&] { return processGone(pid); },
                          15s);
        waitUntilGone(pidFile, "the pid file of the daemon that exited");
        const std::string log = tttest::readFile(logFile);
        CPPUNIT_ASSERT_MESSAGE(log, log.find("received Terminated, stopping") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(log, log.find("stopped") != std::string::npos);
    }

    /// The launcher waits for the daemon's start-up: a bad file is exit 78 and the one-line
    /// error where the operator sees it, not a daemon dying silently behind /dev/null.
    void daemonWithBadConfigurationFailsInTheLauncher()
    {
        TempDir dir;
        dir.write("tthost.properties", baseProperties().set("route.idle_timeout", "soon").text());
        DaemonGuard guard(dir.path());
        HostProcess launcher(TTHOST_PATH, {"--daemon", "--pidfile=tthost.pid", "--config-file=tthost.properties"}, dir.path(),
                             dir.path() + "/launcher.out");
        const int status = launcher.wait(10s);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(launcher.output(), 78, status);
        CPPUNIT_ASSERT_MESSAGE(launcher.output(),
                               launcher.output().find("tthost: configuration error: route.idle_timeout: 'soon'") != std::string::npos);
        waitUntilGone(dir.path() + "/tthost.pid", "the pid file of the daemon that failed");
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(OperationsDaemonTest);
