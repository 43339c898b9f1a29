// The real tthost's properties file edited while it runs, as an administrator would: a changed
// heartbeat interval reaching open connections under live traffic (the file poll), broken and
// removed files rejected while the running configuration stays in force, SIGHUP re-reading the
// file, and restart-only keys logged and ignored. The listen address and the allowlist
// (OperationsListenersTest.cpp), --daemon (OperationsDaemonTest.cpp) and the SIGTERM drain
// (OperationsDrainTest.cpp) have files of their own. Loopback and ephemeral ports only; every
// child process is killed if a test fails midway.
#include "OperationsEndToEnd.h"

#include "ConfigReloads.h"
#include "FakeMsgServer.h"
#include "LogLines.h"
#include "MsgServerChecks.h"
#include "PollUntil.h"
#include "WireFrames.h"

#include <Poco/File.h>

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <iostream>
#include <string>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>
#include <vector>

using tttest::FakeMsgServer;
using tttest::query;
using namespace std::chrono_literals;

namespace
{

/// Heartbeats `fake` receives during `span`; fails when the connection closes meanwhile.
/// Other frames arriving meanwhile are discarded, so use it on a quiet connection.
int heartbeatsDuring(FakeMsgServer& fake, std::chrono::milliseconds span)
{
    const int before = fake.heartbeats();
    CPPUNIT_ASSERT_MESSAGE("the connection closed while heartbeats were counted", !fake.waitClosed(span));
    return fake.heartbeats() - before;
}

/// Asserts the quiet connection `fake` hears at least three heartbeats within `span` (1.5 s or
/// more): a 200 ms heartbeat interval is in force.
void assertHeartbeatsAt200ms(FakeMsgServer& fake, std::chrono::milliseconds span)
{
    const int heartbeats = heartbeatsDuring(fake, span);
    CPPUNIT_ASSERT_MESSAGE("heartbeats in " + std::to_string(span.count()) + " ms at 200 ms: " + std::to_string(heartbeats), heartbeats >= 3);
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

} // namespace

class OperationsEndToEndTest : public OperationsEndToEnd
{
    CPPUNIT_TEST_SUITE(OperationsEndToEndTest);
    CPPUNIT_TEST(editedHeartbeatIntervalAppliesToOpenConnectionsUnderTraffic);
    CPPUNIT_TEST(brokenFileIsRejectedAndTheRunningConfigurationStays);
    CPPUNIT_TEST(removedConfigFileIsRejectedAndTheRunningConfigurationStays);
    CPPUNIT_TEST(sighupRereadsTheFile);
    CPPUNIT_TEST(restartOnlyKeyIsLoggedAndIgnored);
    CPPUNIT_TEST_SUITE_END();

public:
    /// Issue: edit the file under live traffic; the new heartbeat interval reaches an open
    /// connection without a reconnect, and not one relayed frame is lost meanwhile.
    void editedHeartbeatIntervalAppliesToOpenConnectionsUnderTraffic()
    {
        start(heartbeatsEvery("10s"));
        FakeMsgServer& sender = connectMsgServer();
        FakeMsgServer& receiver = connectMsgServer();
        FakeMsgServer& quiet = connectMsgServer();
        CPPUNIT_ASSERT_EQUAL_MESSAGE("no heartbeat is due within 10s", 0, quiet.heartbeats());

        // A steady relay stream from `sender`; the others do not read until it stops.
        std::atomic<bool> stop{false};
        std::vector<std::string> sent;
        std::atomic<std::size_t> streamed{0}; // sent.size(), for this thread to watch
        std::atomic<bool> streamFailed{false}; // streamError is set, for this thread to watch
        std::string streamError;
        std::thread stream([&] {
            try
            {
                for (std::uint32_t i = 0; !stop.load(); ++i)
                {
                    sent.push_back(tttest::msgData(500, 501, i, "frame " + std::to_string(i) + " of the stream"));
                    sender.send(sent.back());
                    ++streamed;
                    std::this_thread::sleep_for(1ms); // a steady pace, not a burst
                }
            }
            catch (const std::exception& error)
            {
                streamError = error.what();
                streamFailed = true;
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

        // Traffic flows before the edit, and goes on after it (a stream that failed stops the
        // waits, and is reported once it is joined).
        const auto streamedUntil = [&](std::size_t frames, const std::string& when) {
            tttest::pollUntil([&] { return "100 frames streamed " + when + " (the stream stalled at " + std::to_string(streamed.load()) + ")"; },
                              [&] { return streamFailed.load() || streamed.load() >= frames; }, 10s);
        };
        streamedUntil(100, "before the edit");
        const std::string line = tttest::reloadFile(host(), heartbeatsEvery("200ms").text(), {"route.heartbeat_interval: 10s -> 200ms"}).line;
        CPPUNIT_ASSERT_MESSAGE(line, line.find(host().configPath()) != std::string::npos || line.find("tthost.properties") != std::string::npos);
        streamedUntil(streamed.load() + 100, "after the edit");
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
        assertHeartbeatsAt200ms(quiet, 2000ms);
        CPPUNIT_ASSERT_EQUAL(std::string("1:2 "), query(receiver, {1}));

        const std::string log = host().log();
        CPPUNIT_ASSERT_EQUAL_MESSAGE(log, std::size_t(3), tttest::linesWith(log, {": connected"}).size());
        CPPUNIT_ASSERT_MESSAGE(log, tttest::linesWith(log, {"disconnected"}).empty());
        stopCleanly();
    }

    /// Issue: a broken file (bad value, a line that is no property, a value out of range, an
    /// unknown key) is rejected with the key and value logged, nothing of it applied (the
    /// heartbeat interval and max_status_query_ids stay); then a good file applies normally.
    void brokenFileIsRejectedAndTheRunningConfigurationStays()
    {
        start(heartbeatsEvery("10s"));
        FakeMsgServer& live = connectMsgServer();

        // Each broken file also asks for 200 ms heartbeats and two ids per status query.
        const tttest::HostProperties wanted = heartbeatsEvery("200ms").set("route.max_status_query_ids", "2");
        struct Broken
        {
            std::string file;
            std::string key;
            std::string problem;
        };
        const std::vector<Broken> broken{
            {tttest::HostProperties(wanted).set("route.idle_timeout", "soon").text(), "route.idle_timeout", "'soon' is not a duration"},
            {tttest::HostProperties(wanted).append("this is not a property\n").text(), "this is not a property", "unknown key"},
            {tttest::HostProperties(wanted).set("route.heartbeat_interval", "10ms").text(), "route.heartbeat_interval", "'10ms' is out of range"},
            {tttest::HostProperties(wanted).set("route.max_pdu_bytes", "12").text(), "route.max_pdu_bytes", "'12' is out of range"},
            {tttest::HostProperties(wanted).set("route.heartbeat_intervall", "200ms").text(), "route.heartbeat_intervall",
             "unknown key (value '200ms'"},
        };
        for (const Broken& file : broken)
        {
            const std::size_t mark = host().mark();
            host().rewrite(file.file);
            const std::string line = host().waitForLine(mark, {"configuration reload after ", " rejected, the running configuration stays in force: "});
            CPPUNIT_ASSERT_MESSAGE("expected key '" + file.key + "' and '" + file.problem + "' in: " + line,
                                   line.find("in force: " + file.key + ": ") != std::string::npos &&
                                       line.find(file.problem) != std::string::npos);
            CPPUNIT_ASSERT_MESSAGE(host().log(), tttest::linesWith(host().log(), {"configuration reloaded"}, mark).empty());

            // Still the old settings: three ids answered, and no heartbeat within 700 ms.
            CPPUNIT_ASSERT_EQUAL_MESSAGE(line, std::string("1:2 2:2 3:2 "), query(live, {1, 2, 3}));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(line, 0, heartbeatsDuring(live, 700ms));
        }
        CPPUNIT_ASSERT_EQUAL(0, live.heartbeats());

        // A good file is applied as usual, compared with the configuration that stayed in force.
        tttest::reloadFile(host(), wanted.text(), {"route.heartbeat_interval: 10s -> 200ms", "route.max_status_query_ids: (unset) -> 2"});
        CPPUNIT_ASSERT_EQUAL(std::string("1:2 2:2 "), query(live, {1, 2, 3}));
        assertHeartbeatsAt200ms(live, 1500ms);
        CPPUNIT_ASSERT_MESSAGE(host().log(), tttest::linesWith(host().log(), {"disconnected"}).empty());
        stopCleanly();
    }

    /// A configuration file removed while tthost runs is rejected (not a reset to defaults);
    /// the file written again is applied against the configuration that stayed in force.
    void removedConfigFileIsRejectedAndTheRunningConfigurationStays()
    {
        start(heartbeatsEvery("10s"));
        FakeMsgServer& live = connectMsgServer();

        const std::size_t mark = host().mark();
        Poco::File(host().configPath()).remove();
        const std::string line = host().waitForLine(mark, {"configuration reload after ", " rejected, the running configuration stays in force: ",
                                                           "--config-file: ", "does not exist"});
        CPPUNIT_ASSERT_EQUAL(std::string("1:2 "), query(live, {1}));
        FakeMsgServer later(port());
        CPPUNIT_ASSERT_MESSAGE(line, later.sync().empty());
        CPPUNIT_ASSERT_EQUAL_MESSAGE(line, 0, heartbeatsDuring(live, 500ms));

        tttest::reloadFile(host(), heartbeatsEvery("200ms").text(), {"route.heartbeat_interval: 10s -> 200ms"});
        assertHeartbeatsAt200ms(live, 1500ms);
        stopCleanly();
    }

    /// Issue: SIGHUP re-reads the file: a change is logged (normally "on SIGHUP": the edit is
    /// made so the file poll cannot see it, but either trigger is accepted), and a SIGHUP on an
    /// unchanged file logs "no value changed".
    void sighupRereadsTheFile()
    {
        start(heartbeatsEvery("10s"));
        FakeMsgServer& live = connectMsgServer();

        std::size_t mark = host().mark();
        overwriteUnnoticed(host().configPath(), heartbeatsEvery("20s").text());
        host().process().signal(SIGHUP);
        const std::string line = host().waitForLine(mark, {"configuration reloaded ", "route.heartbeat_interval: 10s -> 20s"});
        CPPUNIT_ASSERT_MESSAGE(line, line.find("configuration reloaded on SIGHUP: ") != std::string::npos ||
                                         line.find("configuration reloaded after ") != std::string::npos);
        if (line.find("on SIGHUP") == std::string::npos)
            std::cerr << "\n  note: the file poll saw the change before SIGHUP: " << line << "\n";

        // Nothing changed since: a SIGHUP says so, and changes nothing.
        for (int round = 0; round < 2; ++round)
        {
            mark = host().mark();
            host().process().signal(SIGHUP);
            host().waitForLine(mark, {"configuration re-read on SIGHUP: no value changed"});
        }
        CPPUNIT_ASSERT_MESSAGE(host().log(), tttest::linesWith(host().log(), {"configuration reloaded"}).size() == 1);

        // A file replaced and signalled at once: one trigger applies it, the other finds nothing new.
        mark = host().mark();
        host().rewrite(heartbeatsEvery("200ms").text());
        host().process().signal(SIGHUP);
        host().waitForLine(mark, {"configuration reloaded ", "route.heartbeat_interval: 20s -> 200ms"});
        assertHeartbeatsAt200ms(live, 1500ms);
        CPPUNIT_ASSERT_EQUAL(std::string("1:2 "), query(live, {1}));
        CPPUNIT_ASSERT_MESSAGE(host().log(), tttest::linesWith(host().log(), {"rejected"}).empty());
        stopCleanly();
    }

    /// A reload changing host.route.max_threads (restart-only) is logged as needing a restart
    /// and otherwise ignored: with max_threads = 1 in force, two connections could not both be served.
    void restartOnlyKeyIsLoggedAndIgnored()
    {
        start(heartbeatsEvery("10s"));
        FakeMsgServer& before = connectMsgServer();

        const tttest::FileReload reload = tttest::reloadFile(host(), heartbeatsEvery("10s").set("host.route.max_threads", "1").text(),
                                                             {"host.route.max_threads: (unset) -> 1"});
        const std::string& line = reload.line;
        CPPUNIT_ASSERT_MESSAGE(line, line.find(" [needs a restart, ignored until then: host.route.max_threads]") != std::string::npos);

        FakeMsgServer& first = connectMsgServer();
        FakeMsgServer& second = connectMsgServer();
        tttest::assertRelayed(before, {&first, &second}, 1, "after a restart-only change");
        stopCleanly();
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(OperationsEndToEndTest);
