// The real tthost binary operated as an administrator would: its properties file edited
// while traffic flows (the file poll and SIGHUP), broken files rejected while the running
// configuration stays in force, the listen address and the allowlist changed live,
// restart-only keys, the original routeserver.conf, --daemon with --pidfile, and SIGTERM
// draining what is queued. Loopback only (127.0.0.1, and 127.0.0.2 as a client source
// address), ephemeral ports only; every child process is killed if a test fails midway.
#include "FakeMsgServer.h"
#include "HostProcess.h"
#include "LogLines.h"
#include "LoopbackSockets.h"
#include "MsgServerChecks.h"
#include "ProtocolConstants.h"
#include "RunningHost.h"
#include "WireFrames.h"

#include "IM.Buddy.pb.h"

#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/Net/StreamSocket.h>

#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <iostream>
#include <memory>
#include <regex>
#include <stdexcept>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

using tttest::FakeMsgServer;
using tttest::query;
using tttest::HostProcess;
using tttest::RunningHost;
using tttest::TempDir;
using tttest::WireFrame;
using namespace tttest::protocol;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace
{

/// Every test's starting point: the route plugin on an ephemeral loopback port.
const std::string kBaseConfig = "# written by OperationsEndToEndTest\n"
                                "host.route.listen = 127.0.0.1:0\n"
                                "host.admin.listen =\n"
                                "host.drain_timeout = 2s\n";

/// The "configuration reloaded ..." line caused by the file poll, listing `changes`.
std::vector<std::string> reloadedAfterChange(const std::vector<std::string>& changes)
{
    std::vector<std::string> parts{"configuration reloaded after ", " changed: "};
    parts.insert(parts.end(), changes.begin(), changes.end());
    return parts;
}

/// Heartbeats `fake` receives during `span`; fails when the connection closes meanwhile.
/// Other frames arriving meanwhile are discarded, so use it on a quiet connection.
int heartbeatsDuring(FakeMsgServer& fake, std::chrono::milliseconds span)
{
    const int before = fake.heartbeats();
    CPPUNIT_ASSERT_MESSAGE("the connection closed while heartbeats were counted", !fake.waitClosed(span));
    return fake.heartbeats() - before;
}

/// Writes `content` over the start of the existing file `path` in place (same inode, and the
/// caller keeps the size) and puts its modification time back, so the file poll, which
/// compares (mtime, size, inode), cannot tell the file changed; only a SIGHUP re-reads it.
void overwriteUnnoticed(const std::string& path, const std::string& content)
{
    struct stat before
    {
    };
    CPPUNIT_ASSERT_EQUAL(0, ::stat(path.c_str(), &before));
    CPPUNIT_ASSERT_EQUAL_MESSAGE("the new content must keep the size", static_cast<off_t>(content.size()), before.st_size);
    const int fd = ::open(path.c_str(), O_WRONLY);
    CPPUNIT_ASSERT_MESSAGE(std::strerror(errno), fd >= 0);
    const ssize_t written = ::pwrite(fd, content.data(), content.size(), 0);
    const timespec times[2] = {before.st_atim, before.st_mtim};
    const int touched = ::futimens(fd, times);
    ::close(fd);
    CPPUNIT_ASSERT_EQUAL(static_cast<ssize_t>(content.size()), written);
    CPPUNIT_ASSERT_EQUAL(0, touched);
}

/// The state letter of /proc/<pid>/stat ('R', 'S', 'Z', ...), or 0 when there is none.
char processState(pid_t pid)
{
    const std::string stat = tttest::readFile("/proc/" + std::to_string(pid) + "/stat");
    const auto paren = stat.rfind(')');
    return paren != std::string::npos && paren + 2 < stat.size() ? stat[paren + 2] : 0;
}

/// True once `pid` no longer runs: kill(pid, 0) fails with ESRCH, or it is a zombie that
/// its new parent (the daemon was reparented) has not reaped yet.
bool processGone(pid_t pid)
{
    if (::kill(pid, 0) != 0)
        return errno == ESRCH;
    const char state = processState(pid);
    return state == 'Z' || state == 'X';
}

/// Processes other than this one holding a file open inside `dir`: the daemon, if a test
/// failed before it could read the pid file.
std::vector<pid_t> processesUsing(const std::string& dir)
{
    std::vector<pid_t> pids;
    DIR* proc = ::opendir("/proc");
    if (!proc)
        return pids;
    while (const dirent* entry = ::readdir(proc))
    {
        const pid_t pid = static_cast<pid_t>(std::atoi(entry->d_name));
        if (pid <= 0 || pid == ::getpid())
            continue;
        const std::string fdDir = "/proc/" + std::string(entry->d_name) + "/fd";
        DIR* fds = ::opendir(fdDir.c_str());
        if (!fds)
            continue;
        bool uses = false;
        while (const dirent* fd = ::readdir(fds))
        {
            char target[4096];
            const ssize_t size = ::readlink((fdDir + "/" + fd->d_name).c_str(), target, sizeof target - 1);
            if (size > 0 && std::string(target, static_cast<std::size_t>(size)).rfind(dir + "/", 0) == 0)
                uses = true;
        }
        ::closedir(fds);
        if (uses)
            pids.push_back(pid);
    }
    ::closedir(proc);
    return pids;
}

/// Kills (SIGKILL) a daemonised tthost when the test ends with it still running. The daemon
/// is not our child, so it cannot be reaped here; its new parent does that.
class DaemonGuard
{
public:
    explicit DaemonGuard(std::string dir)
        : dir_(std::move(dir))
    {
    }
    ~DaemonGuard()
    {
        if (pid_ > 0)
        {
            if (!processGone(pid_))
                ::kill(pid_, SIGKILL);
            return;
        }
        // The pid file was never read: find the daemon by the log file it holds open here.
        for (pid_t pid : processesUsing(dir_))
            ::kill(pid, SIGKILL);
    }
    DaemonGuard(const DaemonGuard&) = delete;
    DaemonGuard& operator=(const DaemonGuard&) = delete;

    void watch(pid_t pid) { pid_ = pid; }

private:
    std::string dir_;
    pid_t pid_ = -1;
};

/// What a reader saw of one connection until the route server closed it.
struct Drained
{
    std::vector<WireFrame> frames; ///< everything but heartbeats, in order
    bool eof = false;
    std::string error;
};

/// Reads `socket` to its end (at most `timeout`), keeping every frame but heartbeats.
void readToEnd(Poco::Net::StreamSocket& socket, Drained& result, std::chrono::milliseconds timeout)
{
    try
    {
        std::string buffer;
        std::vector<char> chunk(256 * 1024);
        const auto deadline = Clock::now() + timeout;
        while (Clock::now() < deadline)
        {
            if (!socket.poll(Poco::Timespan(200000), Poco::Net::Socket::SELECT_READ))
                continue;
            const int got = socket.receiveBytes(chunk.data(), static_cast<int>(chunk.size()));
            if (got <= 0)
            {
                result.eof = true;
                if (!buffer.empty())
                    result.error = std::to_string(buffer.size()) + " bytes of a partial frame before EOF";
                return;
            }
            buffer.append(chunk.data(), static_cast<std::size_t>(got));
            for (auto& frame : tttest::takeFrames(buffer))
                if (frame.commandId != kHeartbeat)
                    result.frames.push_back(std::move(frame));
        }
        result.error = "no EOF within " + std::to_string(timeout.count()) + " ms";
    }
    catch (const Poco::Exception& error)
    {
        result.error = error.displayText();
    }
}

} // namespace

/// True once `path` no longer exists (within a few seconds).
bool waitUntilGone(const std::string& path)
{
    const auto deadline = Clock::now() + 5s;
    while (Poco::File(path).exists())
    {
        if (Clock::now() >= deadline)
            return false;
        std::this_thread::sleep_for(20ms);
    }
    return true;
}

class OperationsEndToEndTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(OperationsEndToEndTest);
    CPPUNIT_TEST(editedHeartbeatIntervalAppliesToOpenConnectionsUnderTraffic);
    CPPUNIT_TEST(brokenFileIsRejectedAndTheRunningConfigurationStays);
    CPPUNIT_TEST(removedConfigFileIsRejectedAndTheRunningConfigurationStays);
    CPPUNIT_TEST(sighupRereadsTheFile);
    CPPUNIT_TEST(restartOnlyKeyIsLoggedAndIgnored);
    CPPUNIT_TEST(listenPortChangeKeepsOldConnectionsAndMovesTheListener);
    CPPUNIT_TEST(narrowedAllowlistClosesExactlyTheExcludedConnection);
    CPPUNIT_TEST(legacyRouteserverConfStartsAndServes);
    CPPUNIT_TEST(daemonWritesPidFileServesAndStopsOnSigterm);
    CPPUNIT_TEST(daemonWithBadConfigurationFailsInTheLauncher);
    CPPUNIT_TEST(sigtermDrainsQueuedRelaysBeforeClosing);
    CPPUNIT_TEST_SUITE_END();

public:
    /// Issue: edit the file under live traffic; the new heartbeat interval reaches an open
    /// connection without a reconnect, and not one relayed frame is lost meanwhile.
    void editedHeartbeatIntervalAppliesToOpenConnectionsUnderTraffic()
    {
        RunningHost host(kBaseConfig + "route.heartbeat_interval = 10s\n");
        const std::uint16_t port = host.port();
        FakeMsgServer sender(port);
        FakeMsgServer receiver(port);
        FakeMsgServer quiet(port);
        for (FakeMsgServer* fake : {&sender, &receiver, &quiet})
            CPPUNIT_ASSERT(fake->sync().empty());
        CPPUNIT_ASSERT_EQUAL_MESSAGE("no heartbeat is due within 10s", 0, quiet.heartbeats());

        // A steady relay stream from `sender`; the others do not read until it stops.
        std::atomic<bool> stop{false};
        std::vector<std::string> sent;
        std::string streamError;
        std::thread stream([&] {
            try
            {
                for (std::uint32_t i = 0; !stop.load(); ++i)
                {
                    sent.push_back(tttest::msgData(500, 501, i, "frame " + std::to_string(i) + " of the stream"));
                    sender.send(sent.back());
                    std::this_thread::sleep_for(1ms);
                }
            }
            catch (const std::exception& error)
            {
                streamError = error.what();
            }
        });
        struct Joiner
        {
            std::atomic<bool>& stop;
            std::thread& thread;
            ~Joiner()
            {
                stop = true;
                if (thread.joinable())
                    thread.join();
            }
        } joiner{stop, stream};

        std::this_thread::sleep_for(300ms);
        const std::size_t mark = host.mark();
        host.rewrite(kBaseConfig + "route.heartbeat_interval = 200ms\n");
        const std::string line = host.waitForLine(mark, reloadedAfterChange({"route.heartbeat_interval: 10s -> 200ms"}));
        CPPUNIT_ASSERT_MESSAGE(line, line.find(host.configPath()) != std::string::npos || line.find("tthost.properties") != std::string::npos);
        std::this_thread::sleep_for(300ms); // traffic goes on after the reload too
        stop = true;
        stream.join();
        CPPUNIT_ASSERT_EQUAL_MESSAGE("the stream failed", std::string(), streamError);
        CPPUNIT_ASSERT_MESSAGE("the stream hardly ran: " + std::to_string(sent.size()) + " frames", sent.size() >= 100);

        // The sender's sync proves every frame was routed; then each receiver has them all, in order.
        CPPUNIT_ASSERT(sender.sync().empty());
        for (FakeMsgServer* fake : {&receiver, &quiet})
        {
            const auto got = fake->sync();
            CPPUNIT_ASSERT_EQUAL_MESSAGE("relayed frames received", sent.size(), got.size());
            for (std::size_t i = 0; i < sent.size(); ++i)
                CPPUNIT_ASSERT_MESSAGE("relayed frame " + std::to_string(i) + " differs", sent[i] == got[i].bytes);
        }

        // The connection opened before the edit now hears a heartbeat every 200 ms.
        const int heartbeats = heartbeatsDuring(quiet, 2000ms);
        CPPUNIT_ASSERT_MESSAGE("heartbeats in 2 s at 200 ms: " + std::to_string(heartbeats), heartbeats >= 3);
        CPPUNIT_ASSERT_EQUAL(std::string("1:2 "), query(receiver, {1}));

        const std::string log = host.log();
        CPPUNIT_ASSERT_EQUAL_MESSAGE(log, std::size_t(3), tttest::linesWith(log, {": connected"}).size());
        CPPUNIT_ASSERT_MESSAGE(log, tttest::linesWith(log, {"disconnected"}).empty());
        CPPUNIT_ASSERT_EQUAL_MESSAGE(host.log(), 0, host.stopWith(SIGTERM));
    }

    /// Issue: a broken file (bad value, a line that is no property, a value out of range, an
    /// unknown key) is rejected with the key and value logged, nothing of it applied (the
    /// heartbeat interval and max_status_query_ids stay); then a good file applies normally.
    void brokenFileIsRejectedAndTheRunningConfigurationStays()
    {
        RunningHost host(kBaseConfig + "route.heartbeat_interval = 10s\n");
        const std::uint16_t port = host.port();
        FakeMsgServer live(port);
        CPPUNIT_ASSERT(live.sync().empty());

        // Each broken file also asks for 200 ms heartbeats and two ids per status query.
        const std::string wanted = "route.heartbeat_interval = 200ms\nroute.max_status_query_ids = 2\n";
        struct Broken
        {
            std::string file;
            std::string key;
            std::string problem;
        };
        const std::vector<Broken> broken{
            {kBaseConfig + wanted + "route.idle_timeout = soon\n", "route.idle_timeout", "'soon' is not a duration"},
            {kBaseConfig + wanted + "this is not a property\n", "this is not a property", "unknown key"},
            {kBaseConfig + "route.heartbeat_interval = 10ms\nroute.max_status_query_ids = 2\n", "route.heartbeat_interval",
             "'10ms' is out of range"},
            {kBaseConfig + wanted + "route.max_pdu_bytes = 12\n", "route.max_pdu_bytes", "'12' is out of range"},
            {kBaseConfig + wanted + "route.heartbeat_intervall = 200ms\n", "route.heartbeat_intervall", "unknown key (value '200ms'"},
        };
        for (const Broken& file : broken)
        {
            const std::size_t mark = host.mark();
            host.rewrite(file.file);
            const std::string line = host.waitForLine(mark, {"configuration reload after ", " rejected, the running configuration stays in force: "});
            CPPUNIT_ASSERT_MESSAGE("expected key '" + file.key + "' and '" + file.problem + "' in: " + line,
                                   line.find("in force: " + file.key + ": ") != std::string::npos &&
                                       line.find(file.problem) != std::string::npos);
            CPPUNIT_ASSERT_MESSAGE(host.log(), tttest::linesWith(host.log(), {"configuration reloaded"}, mark).empty());

            // Still the old settings: three ids answered, and no heartbeat within 700 ms.
            CPPUNIT_ASSERT_EQUAL_MESSAGE(line, std::string("1:2 2:2 3:2 "), query(live, {1, 2, 3}));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(line, 0, heartbeatsDuring(live, 700ms));
        }
        CPPUNIT_ASSERT_EQUAL(0, live.heartbeats());

        // A good file is applied as usual, compared with the configuration that stayed in force.
        const std::size_t mark = host.mark();
        host.rewrite(kBaseConfig + wanted);
        host.waitForLine(mark, reloadedAfterChange({"route.heartbeat_interval: 10s -> 200ms", "route.max_status_query_ids: (unset) -> 2"}));
        CPPUNIT_ASSERT_EQUAL(std::string("1:2 2:2 "), query(live, {1, 2, 3}));
        const int heartbeats = heartbeatsDuring(live, 1500ms);
        CPPUNIT_ASSERT_MESSAGE("heartbeats in 1.5 s at 200 ms: " + std::to_string(heartbeats), heartbeats >= 3);
        CPPUNIT_ASSERT_MESSAGE(host.log(), tttest::linesWith(host.log(), {"disconnected"}).empty());
        CPPUNIT_ASSERT_EQUAL_MESSAGE(host.log(), 0, host.stopWith(SIGTERM));
    }

    /// A configuration file removed while tthost runs is rejected (not a reset to defaults);
    /// the file written again is applied against the configuration that stayed in force.
    void removedConfigFileIsRejectedAndTheRunningConfigurationStays()
    {
        RunningHost host(kBaseConfig + "route.heartbeat_interval = 10s\n");
        const std::uint16_t port = host.port();
        FakeMsgServer live(port);
        CPPUNIT_ASSERT(live.sync().empty());

        std::size_t mark = host.mark();
        Poco::File(host.configPath()).remove();
        const std::string line = host.waitForLine(mark, {"configuration reload after ", " rejected, the running configuration stays in force: ",
                                                         "--config-file: ", "does not exist"});
        CPPUNIT_ASSERT_EQUAL(std::string("1:2 "), query(live, {1}));
        FakeMsgServer later(port);
        CPPUNIT_ASSERT_MESSAGE(line, later.sync().empty());
        CPPUNIT_ASSERT_EQUAL_MESSAGE(line, 0, heartbeatsDuring(live, 500ms));

        mark = host.mark();
        host.rewrite(kBaseConfig + "route.heartbeat_interval = 200ms\n");
        host.waitForLine(mark, reloadedAfterChange({"route.heartbeat_interval: 10s -> 200ms"}));
        const int heartbeats = heartbeatsDuring(live, 1500ms);
        CPPUNIT_ASSERT_MESSAGE("heartbeats in 1.5 s at 200 ms: " + std::to_string(heartbeats), heartbeats >= 3);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(host.log(), 0, host.stopWith(SIGTERM));
    }

    /// Issue: SIGHUP re-reads the file: a change is logged (normally "on SIGHUP": the edit is
    /// made so the file poll cannot see it, but either trigger is accepted), and a SIGHUP on an
    /// unchanged file logs "no value changed".
    void sighupRereadsTheFile()
    {
        RunningHost host(kBaseConfig + "route.heartbeat_interval = 10s\n");
        const std::uint16_t port = host.port();
        FakeMsgServer live(port);
        CPPUNIT_ASSERT(live.sync().empty());

        std::size_t mark = host.mark();
        overwriteUnnoticed(host.configPath(), kBaseConfig + "route.heartbeat_interval = 20s\n");
        host.process().signal(SIGHUP);
        const std::string line = host.waitForLine(mark, {"configuration reloaded ", "route.heartbeat_interval: 10s -> 20s"});
        CPPUNIT_ASSERT_MESSAGE(line, line.find("configuration reloaded on SIGHUP: ") != std::string::npos ||
                                         line.find("configuration reloaded after ") != std::string::npos);
        if (line.find("on SIGHUP") == std::string::npos)
            std::cerr << "\n  note: the file poll saw the change before SIGHUP: " << line << "\n";

        // Nothing changed since: a SIGHUP says so, and changes nothing.
        for (int round = 0; round < 2; ++round)
        {
            mark = host.mark();
            host.process().signal(SIGHUP);
            host.waitForLine(mark, {"configuration re-read on SIGHUP: no value changed"});
        }
        CPPUNIT_ASSERT_MESSAGE(host.log(), tttest::linesWith(host.log(), {"configuration reloaded"}).size() == 1);

        // A file replaced and signalled at once: one trigger applies it, the other finds nothing new.
        mark = host.mark();
        host.rewrite(kBaseConfig + "route.heartbeat_interval = 200ms\n");
        host.process().signal(SIGHUP);
        host.waitForLine(mark, {"configuration reloaded ", "route.heartbeat_interval: 20s -> 200ms"});
        const int heartbeats = heartbeatsDuring(live, 1500ms);
        CPPUNIT_ASSERT_MESSAGE("heartbeats in 1.5 s at 200 ms: " + std::to_string(heartbeats), heartbeats >= 3);
        CPPUNIT_ASSERT_EQUAL(std::string("1:2 "), query(live, {1}));
        CPPUNIT_ASSERT_MESSAGE(host.log(), tttest::linesWith(host.log(), {"rejected"}).empty());
        CPPUNIT_ASSERT_EQUAL_MESSAGE(host.log(), 0, host.stopWith(SIGTERM));
    }

    /// A reload changing host.route.max_threads (restart-only) is logged as needing a restart
    /// and otherwise ignored: with max_threads = 1 in force, two connections could not both be served.
    void restartOnlyKeyIsLoggedAndIgnored()
    {
        RunningHost host(kBaseConfig + "route.heartbeat_interval = 10s\n");
        const std::uint16_t port = host.port();
        FakeMsgServer before(port);
        CPPUNIT_ASSERT(before.sync().empty());

        const std::size_t mark = host.mark();
        host.rewrite(kBaseConfig + "route.heartbeat_interval = 10s\nhost.route.max_threads = 1\n");
        const std::string line = host.waitForLine(mark, reloadedAfterChange({"host.route.max_threads: (unset) -> 1"}));
        CPPUNIT_ASSERT_MESSAGE(line, line.find(" [needs a restart, ignored until then: host.route.max_threads]") != std::string::npos);

        FakeMsgServer first(port);
        FakeMsgServer second(port);
        CPPUNIT_ASSERT(first.sync().empty());
        CPPUNIT_ASSERT(second.sync().empty());
        tttest::assertRelayed(before, {&first, &second}, 1, "after a restart-only change");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(host.log(), 0, host.stopWith(SIGTERM));
    }

    /// Issue: host.route.listen moved to another port: the connections made on the old port
    /// survive (relay, queries), the new port accepts, the old one refuses.
    void listenPortChangeKeepsOldConnectionsAndMovesTheListener()
    {
        RunningHost host(kBaseConfig + "route.heartbeat_interval = 10s\n");
        const std::uint16_t oldPort = host.port();
        FakeMsgServer a(oldPort);
        FakeMsgServer b(oldPort);
        CPPUNIT_ASSERT(a.sync().empty());
        CPPUNIT_ASSERT(b.sync().empty());
        a.send(tttest::statusUpdate(600, 1, 0x01));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), a.sync().size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), b.sync().size());

        const std::size_t mark = host.mark();
        const std::uint16_t newPort = tttest::freePort();
        const std::string oldAddress = "127.0.0.1:" + std::to_string(oldPort);
        const std::string newAddress = "127.0.0.1:" + std::to_string(newPort);
        host.rewrite("host.route.listen = " + newAddress + "\nhost.admin.listen =\nhost.drain_timeout = 2s\nroute.heartbeat_interval = 10s\n");
        host.waitForLine(mark, reloadedAfterChange({"host.route.listen: 127.0.0.1:0 -> " + newAddress}));
        const std::string opened = host.waitForLine(mark, {"now also listening on " + newAddress});
        const std::string closed = host.waitForLine(mark, {"no longer listening on " + oldAddress + "; its 2 connections stay"});
        const std::string log = host.log();
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
        CPPUNIT_ASSERT_MESSAGE(host.log(), tttest::linesWith(host.log(), {"disconnected"}).empty());
        CPPUNIT_ASSERT_EQUAL_MESSAGE(host.log(), 0, host.stopWith(SIGTERM));
    }

    /// Issue: route.allow narrowed to 127.0.0.1/32 closes the connection from 127.0.0.2 and
    /// only that one; 127.0.0.2 is then refused at accept; widening admits it again.
    void narrowedAllowlistClosesExactlyTheExcludedConnection()
    {
        RunningHost host(kBaseConfig + "route.heartbeat_interval = 10s\n");
        const std::uint16_t port = host.port();
        FakeMsgServer local(port);
        FakeMsgServer other(port, "127.0.0.2");
        CPPUNIT_ASSERT(local.sync().empty());
        CPPUNIT_ASSERT(other.sync().empty());
        const std::string otherAddress = other.socket().address().toString();
        CPPUNIT_ASSERT_MESSAGE(otherAddress, otherAddress.rfind("127.0.0.2:", 0) == 0);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), tttest::linesWith(host.log(), {"msg server " + otherAddress + " #", ": connected"}).size());

        std::size_t mark = host.mark();
        host.rewrite(kBaseConfig + "route.heartbeat_interval = 10s\nroute.allow = 127.0.0.1/32\n");
        host.waitForLine(mark, reloadedAfterChange({"route.allow: (unset) -> 127.0.0.1/32"}));
        CPPUNIT_ASSERT_MESSAGE("the 127.0.0.2 connection stays open", other.waitClosed(5s));
        const auto closing = tttest::linesWith(host.log(), {"closing, no longer in route.allow"}, mark);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(host.log(), std::size_t(1), closing.size());
        CPPUNIT_ASSERT_MESSAGE(closing[0], closing[0].find("msg server " + otherAddress + " #") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(closing[0], closing[0].find("127.0.0.1/32") != std::string::npos);
        host.waitForLine(mark, {"msg server " + otherAddress + " #", "disconnected"});

        // The 127.0.0.1 connection goes on as before.
        CPPUNIT_ASSERT_EQUAL(std::string("1:2 "), query(local, {1}));
        FakeMsgServer local2(port);
        CPPUNIT_ASSERT(local2.sync().empty());
        tttest::assertRelayed(local, {&local2}, 1, "within the allowlist");

        // A new connection from 127.0.0.2 is refused at accept.
        mark = host.mark();
        FakeMsgServer refused(port, "127.0.0.2");
        const std::string refusedAddress = refused.socket().address().toString();
        CPPUNIT_ASSERT_MESSAGE("a new 127.0.0.2 connection was not closed", refused.waitClosed(5s));
        host.waitForLine(mark, {"msg server " + refusedAddress + ": refused, not in route.allow (127.0.0.1/32)"});
        CPPUNIT_ASSERT_MESSAGE(host.log(), tttest::linesWith(host.log(), {refusedAddress, ": connected"}).empty());

        // Widened again, 127.0.0.2 is admitted and served.
        mark = host.mark();
        host.rewrite(kBaseConfig + "route.heartbeat_interval = 10s\nroute.allow = 127.0.0.0/8\n");
        host.waitForLine(mark, reloadedAfterChange({"route.allow: 127.0.0.1/32 -> 127.0.0.0/8"}));
        FakeMsgServer readmitted(port, "127.0.0.2");
        CPPUNIT_ASSERT(readmitted.sync().empty());
        // local2 got nothing in between, so the relay below is all it sees.
        tttest::assertRelayed(readmitted, {&local, &local2}, 2, "from the readmitted 127.0.0.2");
        CPPUNIT_ASSERT_EQUAL(std::string("1:2 "), query(readmitted, {1}));

        const std::string log = host.log();
        CPPUNIT_ASSERT_EQUAL_MESSAGE(log, std::size_t(1), tttest::linesWith(log, {"closing, no longer in route.allow"}).size());
        CPPUNIT_ASSERT_EQUAL_MESSAGE(log, std::size_t(1), tttest::linesWith(log, {"disconnected"}).size());
        CPPUNIT_ASSERT_EQUAL_MESSAGE(host.log(), 0, host.stopWith(SIGTERM));
    }

    /// Issue: the original routeserver.conf (tab-separated '#' comments after the values)
    /// given as "--config-file routeserver.conf" starts tthost, which serves and stops on SIGTERM.
    void legacyRouteserverConfStartsAndServes()
    {
        const std::uint16_t port = tttest::freePort();
        RunningHost host("ListenIP=127.0.0.1\t\t# Listening IP\nListenMsgPort=" + std::to_string(port) +
                             "\t\t\t# Listening Port for MsgServer\n",
                         {"--config-file", "routeserver.conf"}, "routeserver.conf");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(host.log(), port, host.port());
        host.waitForLine(0, {"configuration from " + host.configPath()});

        FakeMsgServer a(port);
        FakeMsgServer b(port);
        CPPUNIT_ASSERT(a.sync().empty());
        CPPUNIT_ASSERT(b.sync().empty());
        a.send(tttest::statusUpdate(700, 1, 0x01));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), a.sync().size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), b.sync().size());
        CPPUNIT_ASSERT_EQUAL(std::string("700:1 701:2 "), query(b, {700, 701}));
        tttest::assertRelayed(a, {&b}, 1, "legacy config");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(host.log(), 0, host.stopWith(SIGTERM));
        CPPUNIT_ASSERT(a.waitClosed());
    }

    /// Issue: --daemon --pidfile with relative paths: the launcher exits 0 at once, the pid file
    /// names the running daemon, which logs to its FileChannel, serves, and on SIGTERM exits
    /// and removes the pid file.
    void daemonWithBadConfigurationFailsInTheLauncher()
    {
        // The launcher waits for the daemon's start-up: a bad file is exit 78 and the one-line
        // error where the operator sees it, not a daemon dying silently behind /dev/null.
        TempDir dir;
        dir.write("tthost.properties", kBaseConfig + "route.idle_timeout = soon\n");
        DaemonGuard guard(dir.path());
        HostProcess launcher(TTHOST_PATH, {"--daemon", "--pidfile=tthost.pid", "--config-file=tthost.properties"}, dir.path(),
                             dir.path() + "/launcher.out");
        const int status = launcher.wait(10s);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(launcher.output(), 78, status);
        CPPUNIT_ASSERT_MESSAGE(launcher.output(),
                               launcher.output().find("tthost: configuration error: route.idle_timeout: 'soon'") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE("the pid file outlived the failed daemon", waitUntilGone(dir.path() + "/tthost.pid"));
    }

    void daemonWritesPidFileServesAndStopsOnSigterm()
    {
        TempDir dir;
        const std::string logFile = dir.path() + "/daemon.log";
        const std::string pidFile = dir.path() + "/tthost.pid";
        dir.write("tthost.properties", kBaseConfig + "logging.channels.file.class = FileChannel\n"
                                                     "logging.channels.file.path = " + logFile + "\n"
                                                     "logging.loggers.root.channel = file\n");
        DaemonGuard guard(dir.path());
        HostProcess launcher(TTHOST_PATH, {"--daemon", "--pidfile=tthost.pid", "--config-file=tthost.properties"}, dir.path(),
                             dir.path() + "/launcher.out");
        const pid_t launcherPid = launcher.pid();
        const int launched = launcher.wait(5s);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("the launching process must exit 0 at once: " + launcher.output(), 0, launched);

        // The pid file appears (the daemon writes it after the fork) and names a live process.
        pid_t pid = 0;
        const auto deadline = Clock::now() + 10s;
        while (pid <= 0 && Clock::now() < deadline)
        {
            const std::string text = tttest::readFile(pidFile);
            if (!text.empty() && text.back() == '\n')
                pid = static_cast<pid_t>(std::atoi(text.c_str()));
            else
                std::this_thread::sleep_for(20ms);
        }
        CPPUNIT_ASSERT_MESSAGE("no pid in " + pidFile + "; the log:\n" + tttest::readFile(logFile), pid > 0);
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
            FakeMsgServer fake(port);
            CPPUNIT_ASSERT_EQUAL(std::string("1:2 "), query(fake, {1}));
        }

        CPPUNIT_ASSERT_EQUAL(0, ::kill(pid, SIGTERM));
        const auto gone = Clock::now() + 15s;
        while (!processGone(pid) && Clock::now() < gone)
            std::this_thread::sleep_for(20ms);
        CPPUNIT_ASSERT_MESSAGE("the daemon still runs 15 s after SIGTERM; its log:\n" + tttest::readFile(logFile), processGone(pid));
        const auto removed = Clock::now() + 5s;
        while (Poco::File(pidFile).exists() && Clock::now() < removed)
            std::this_thread::sleep_for(20ms);
        CPPUNIT_ASSERT_MESSAGE("the pid file stays after the daemon exited", !Poco::File(pidFile).exists());
        const std::string log = tttest::readFile(logFile);
        CPPUNIT_ASSERT_MESSAGE(log, log.find("received Terminated, stopping") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(log, log.find("stopped") != std::string::npos);
    }

    /// Issue: SIGTERM drains: a msg server that stopped reading has megabytes of relayed
    /// MSG_DATA queued; it starts reading only after tthost logged that it is stopping, and
    /// receives every frame sent before the SIGTERM, then EOF; tthost exits 0. The flooder's
    /// sync before the SIGTERM proves every frame was routed, so the count does not depend on
    /// timing (host.drain_timeout = 10s is the only bound).
    void sigtermDrainsQueuedRelaysBeforeClosing()
    {
        RunningHost host("host.route.listen = 127.0.0.1:0\nhost.admin.listen =\nhost.drain_timeout = 10s\nroute.max_outbox_bytes = 512M\n"
                         "route.heartbeat_interval = 1h\n");
        const std::uint16_t port = host.port();
        FakeMsgServer slow(port);
        // A small receive window: what the kernel cannot hold stays in the route server's queue.
        slow.socket().setReceiveBufferSize(64 * 1024);
        FakeMsgServer flooder(port);
        CPPUNIT_ASSERT(slow.sync().empty());
        CPPUNIT_ASSERT(flooder.sync().empty());

        // More than the kernel buffers of both ends can hold: several MB wait in the outbox.
        const std::size_t target = std::max<std::size_t>(12u << 20, tttest::maxSendBuffer() + (8u << 20));
        std::vector<std::string> sent;
        std::size_t bytes = 0;
        for (std::uint32_t i = 0; bytes < target; ++i)
        {
            std::string payload(64 * 1024, static_cast<char>('a' + i % 26));
            const std::string tag = "frame " + std::to_string(i) + ";";
            payload.replace(0, tag.size(), tag);
            sent.push_back(tttest::msgData(800, 801, i, payload));
            bytes += sent.back().size();
            flooder.send(sent.back());
        }
        CPPUNIT_ASSERT(flooder.sync().empty()); // every frame above is routed to `slow`

        // SIGTERM first, and only once tthost is stopping does `slow` read: what it gets now
        // comes from the drain, not from the normal flushing of a running server.
        const std::size_t mark = host.mark();
        host.process().signal(SIGTERM);
        host.waitForLine(mark, {"received Terminated, stopping"});
        std::this_thread::sleep_for(200ms);
        Drained drained;
        std::thread reader([&] { readToEnd(slow.socket(), drained, 30s); });
        int status = host.process().wait(25s);
        if (status == -1)
        {
            host.process().signal(SIGKILL);
            host.process().wait(5s);
        }
        reader.join();

        const std::string log = host.log();
        CPPUNIT_ASSERT_EQUAL_MESSAGE(log, 0, status);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("reading the slow connection", std::string(), drained.error);
        CPPUNIT_ASSERT_MESSAGE("no EOF", drained.eof);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("frames of " + std::to_string(bytes) + " bytes sent before SIGTERM; the log:\n" + log,
                                     sent.size(), drained.frames.size());
        for (std::size_t i = 0; i < sent.size(); ++i)
        {
            CPPUNIT_ASSERT_EQUAL(kMsgData, drained.frames[i].commandId);
            CPPUNIT_ASSERT_MESSAGE("drained frame " + std::to_string(i) + " differs", sent[i] == drained.frames[i].bytes);
        }
        CPPUNIT_ASSERT_MESSAGE(log, log.find("received Terminated, stopping") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(log, tttest::linesWith(log, {"still ending after the drain timeout"}).empty());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(OperationsEndToEndTest);
