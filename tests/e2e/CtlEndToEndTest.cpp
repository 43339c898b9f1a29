// ttctl, the operator's command line, run as a child process (the binary of this build,
// TTCTL_PATH) against the real tthost (TTHOST_PATH) while fake msg servers drive traffic over
// loopback: every command's output, checked against the traffic and against the server's
// own JSON; --json that parses; the exit statuses and one-line reasons of a server that says
// no (an unknown peer, a rejected file, a missing or wrong token), of an unreachable server,
// of usage errors; and a trace that ends, one that is cut short and one ended by Ctrl-C.
// Loopback only (127.0.0.1), ephemeral ports only; ttctl runs with $TTCTL_TOKEN unset and
// --config naming the file it should read (or /dev/null), so nothing of the machine's own
// installation is read; every child process is killed if a test fails midway.
#include "AdminHttp.h"
#include "FakeMsgServer.h"
#include "HostProcess.h"
#include "LogLines.h"
#include "LoopbackSockets.h"
#include "ProtocolConstants.h"
#include "RunningHost.h"
#include "WireFrames.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <cctype>
#include <csignal>
#include <fcntl.h>
#include <functional>
#include <map>
#include <memory>
#include <regex>
#include <sstream>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

using tttest::FakeMsgServer;
using tttest::HostProcess;
using tttest::RunningHost;
using tttest::TempDir;
using namespace tttest::protocol;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace
{

const std::string kToken = "s3cret-T0ken";

/// The configuration every test starts from: the route plugin and the admin endpoint on
/// ephemeral loopback ports, no heartbeats or idle timeouts to blur the counts.
std::string config(const std::string& extra = "")
{
    return "# written by CtlEndToEndTest\n"
           "host.route.listen = 127.0.0.1:0\n"
           "host.admin.listen = 127.0.0.1:0\n"
           "host.drain_timeout = 2s\n"
           "route.heartbeat_interval = 1h\n"
           "route.idle_timeout = 1h\n" +
           extra;
}

// ---------------------------------------------------------------------------------------
// Running ttctl
// ---------------------------------------------------------------------------------------

/// What one run of ttctl did.
struct CtlRun
{
    int status = -1;
    std::string out;
    std::string err;
    std::string command;

    std::string describe() const { return "`" + command + "` exited " + std::to_string(status) + "\nstdout:\n" + out + "stderr:\n" + err; }
};

/// The arguments that run ttctl with `args` and with `environment` ("NAME=value") and
/// $TTCTL_TOKEN unset otherwise, through env(1).
std::vector<std::string> envArguments(const std::vector<std::string>& args, const std::vector<std::string>& environment)
{
    std::vector<std::string> all{"-u", "TTCTL_TOKEN"};
    all.insert(all.end(), environment.begin(), environment.end());
    all.push_back(TTCTL_PATH);
    all.insert(all.end(), args.begin(), args.end());
    return all;
}

std::string joined(const std::vector<std::string>& args)
{
    std::string line = "ttctl";
    for (const auto& arg : args)
        line += " " + arg;
    return line;
}

/// Runs ttctl with `args` to completion (at most 60 s).
CtlRun runCtl(const std::vector<std::string>& args, const std::vector<std::string>& environment = {})
{
    TempDir scratch;
    CtlRun run;
    run.command = joined(args);
    {
        HostProcess process("/usr/bin/env", envArguments(args, environment), scratch.path(), scratch.path() + "/out",
                            scratch.path() + "/err");
        run.status = process.wait(60s);
    }
    run.out = tttest::readFile(scratch.path() + "/out");
    run.err = tttest::readFile(scratch.path() + "/err");
    CPPUNIT_ASSERT_MESSAGE("did not end within 60 s: " + run.describe(), run.status != -1);
    return run;
}

/// The options that point ttctl at the admin endpoint on `port`, with no properties file.
std::vector<std::string> at(std::uint16_t port, std::vector<std::string> args)
{
    std::vector<std::string> all{"--admin", "127.0.0.1:" + std::to_string(port), "--config", "/dev/null"};
    all.insert(all.end(), args.begin(), args.end());
    return all;
}

/// A success: status 0, nothing on stderr.
void assertSuccess(const CtlRun& run)
{
    CPPUNIT_ASSERT_EQUAL_MESSAGE(run.describe(), 0, run.status);
    CPPUNIT_ASSERT_MESSAGE(run.describe(), run.err.empty());
    CPPUNIT_ASSERT_MESSAGE(run.describe(), !run.out.empty());
}

/// A failure: `status`, nothing on stdout, and exactly one line on stderr, "ttctl: ..."
/// containing every one of `parts`.
void assertFailure(const CtlRun& run, int status, const std::vector<std::string>& parts)
{
    CPPUNIT_ASSERT_EQUAL_MESSAGE(run.describe(), status, run.status);
    CPPUNIT_ASSERT_MESSAGE("stdout should be empty: " + run.describe(), run.out.empty());
    CPPUNIT_ASSERT_MESSAGE("one line on stderr: " + run.describe(),
                           !run.err.empty() && run.err.back() == '\n' && std::count(run.err.begin(), run.err.end(), '\n') == 1);
    CPPUNIT_ASSERT_MESSAGE(run.describe(), run.err.rfind("ttctl: ", 0) == 0);
    for (const std::string& part : parts)
        CPPUNIT_ASSERT_MESSAGE("stderr lacks '" + part + "': " + run.describe(), run.err.find(part) != std::string::npos);
}

/// ttctl running in the background (a trace), its stdout and stderr in files of their own.
class BackgroundCtl
{
public:
    explicit BackgroundCtl(const std::vector<std::string>& args)
        : command_(joined(args))
        , process_("/usr/bin/env", envArguments(args, {}), scratch_.path(), scratch_.path() + "/out", scratch_.path() + "/err")
    {
    }

    std::string out() const { return tttest::readFile(scratch_.path() + "/out"); }
    std::string err() const { return tttest::readFile(scratch_.path() + "/err"); }
    HostProcess& process() { return process_; }

    /// Waits for ttctl to exit (at most `timeout`) and returns what it did.
    CtlRun finish(std::chrono::milliseconds timeout = 60s)
    {
        CtlRun run;
        run.command = command_;
        run.status = process_.wait(timeout);
        run.out = out();
        run.err = err();
        CPPUNIT_ASSERT_MESSAGE("did not end in time: " + run.describe(), run.status != -1);
        return run;
    }

private:
    TempDir scratch_;
    std::string command_;
    HostProcess process_;
};

// ---------------------------------------------------------------------------------------
// Reading ttctl's output
// ---------------------------------------------------------------------------------------

std::vector<std::string> lines(const std::string& text)
{
    std::vector<std::string> result;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        result.push_back(line);
    return result;
}

/// A line of a table, split where two or more spaces separate its cells.
std::vector<std::string> cells(const std::string& line)
{
    static const std::regex separator(" {2,}");
    std::vector<std::string> result;
    const std::string trimmed = line.substr(std::min(line.size(), line.find_first_not_of(' ')));
    for (auto it = std::sregex_token_iterator(trimmed.begin(), trimmed.end(), separator, -1); it != std::sregex_token_iterator(); ++it)
        result.push_back(*it);
    return result;
}

using Row = std::map<std::string, std::string>;

/// A table as ttctl prints it: a header line, then a row a line, each cell under its header.
std::vector<Row> parseTable(const std::string& text)
{
    const auto all = lines(text);
    CPPUNIT_ASSERT_MESSAGE("no table: " + text, !all.empty());
    const auto headers = cells(all.front());
    std::vector<Row> rows;
    for (std::size_t i = 1; i < all.size(); ++i)
    {
        const auto values = cells(all[i]);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("line " + std::to_string(i) + " of\n" + text, headers.size(), values.size());
        Row row;
        for (std::size_t j = 0; j < headers.size(); ++j)
            row[headers[j]] = values[j];
        rows.push_back(row);
    }
    return rows;
}

/// The "name: value" lines of `ttctl status`, by name.
std::map<std::string, std::string> parseFields(const std::string& text)
{
    std::map<std::string, std::string> fields;
    for (const std::string& line : lines(text))
    {
        const std::size_t colon = line.find(": ");
        CPPUNIT_ASSERT_MESSAGE("not 'name: value': '" + line + "' in\n" + text, colon != std::string::npos);
        const std::size_t value = line.find_first_not_of(' ', colon + 1);
        fields[line.substr(0, colon)] = value == std::string::npos ? "" : line.substr(value);
    }
    return fields;
}

std::string field(const std::map<std::string, std::string>& fields, const std::string& name, const std::string& text)
{
    const auto found = fields.find(name);
    CPPUNIT_ASSERT_MESSAGE("no '" + name + "' in\n" + text, found != fields.end());
    return found->second;
}

/// ttctl's --json output: one line holding a JSON object; fails the test when it is not that.
Poco::JSON::Object::Ptr jsonLine(const std::string& text)
{
    CPPUNIT_ASSERT_MESSAGE("not one line: " + text, !text.empty() && text.back() == '\n' && std::count(text.begin(), text.end(), '\n') == 1);
    try
    {
        Poco::JSON::Parser parser;
        const auto object = parser.parse(text).extract<Poco::JSON::Object::Ptr>();
        if (object)
            return object;
    }
    catch (const Poco::Exception& error)
    {
        CPPUNIT_FAIL("not a JSON object (" + error.displayText() + "): " + text);
    }
    CPPUNIT_FAIL("not a JSON object: " + text);
    return nullptr;
}

// ---------------------------------------------------------------------------------------
// The server, asked directly
// ---------------------------------------------------------------------------------------

/// GET `path` of the admin endpoint on `port`: its JSON object (the status must be 200).
Poco::JSON::Object::Ptr adminGet(std::uint16_t port, const std::string& path)
{
    const tttest::HttpReply reply = tttest::http(port, path);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(tttest::describe(path, reply), 200, reply.status);
    return tttest::jsonObject(reply.body);
}

/// Polls `condition` every 20 ms until it holds; fails the test with what `describe` says
/// then after `timeout`.
void waitUntil(const std::function<bool()>& condition, const std::function<std::string()>& describe, std::chrono::milliseconds timeout = 20s)
{
    const auto deadline = Clock::now() + timeout;
    while (!condition())
    {
        if (Clock::now() >= deadline)
            CPPUNIT_FAIL("not within " + std::to_string(timeout.count()) + " ms: " + describe());
        std::this_thread::sleep_for(20ms);
    }
}

void waitUntil(const std::function<bool()>& condition, const std::string& what, std::chrono::milliseconds timeout = 20s)
{
    waitUntil(condition, [&what] { return what; }, timeout);
}

/// The number of traces GET /status lists.
std::size_t traceCount(std::uint16_t admin)
{
    const auto status = adminGet(admin, "/status");
    return status->has("traces") && status->isArray("traces") ? status->getArray("traces")->size() : 0;
}

/// The local address of a fake's socket, as the route server sees it from the other end.
std::string addressOf(FakeMsgServer& fake)
{
    return fake.socket().address().toString();
}

std::string idOf(std::uint16_t admin, FakeMsgServer& fake)
{
    const auto peers = tttest::peersByAddress(admin);
    const auto found = peers.find(addressOf(fake));
    CPPUNIT_ASSERT_MESSAGE("no peer " + addressOf(fake), found != peers.end());
    return found->second->get("id").toString();
}

/// Replaces `from` by `to` (of the same length) in the file at `path` in place, and puts its
/// modification time back: tthost's watcher, which compares the file's modification time,
/// size and inode every second, does not see the change (unless its look falls between the
/// write and the restore), so it is left to a POST /reload.
void rewriteBehindTheWatcher(const std::string& path, const std::string& from, const std::string& to)
{
    CPPUNIT_ASSERT_EQUAL(from.size(), to.size());
    std::string content = tttest::readFile(path);
    const std::size_t at = content.find(from);
    CPPUNIT_ASSERT_MESSAGE("'" + from + "' not in " + path + ":\n" + content, at != std::string::npos);
    content.replace(at, from.size(), to);
    struct stat before
    {
    };
    CPPUNIT_ASSERT_EQUAL(0, ::stat(path.c_str(), &before));
    const int fd = ::open(path.c_str(), O_WRONLY);
    CPPUNIT_ASSERT(fd >= 0);
    const ssize_t written = ::pwrite(fd, content.data(), content.size(), 0);
    ::close(fd);
    CPPUNIT_ASSERT_EQUAL(static_cast<ssize_t>(content.size()), written);
    const struct timespec times[2] = {before.st_atim, before.st_mtim};
    CPPUNIT_ASSERT_EQUAL(0, ::utimensat(AT_FDCWD, path.c_str(), times, 0));
}

/// Sets `key` from `value` to one of `next` (values of the same length) and has `ttctl reload`
/// (with `args`) apply it: the values are tried in turn until the reload is the one that
/// applies the change, since the watcher may see a change first (then the log must show it did,
/// and the reload must have found nothing changed). Returns the run that applied it and the value.
std::pair<CtlRun, std::string> reloadChange(RunningHost& host, const std::vector<std::string>& args, const std::string& key,
                                            std::string value, const std::vector<std::string>& next)
{
    for (const std::string& candidate : next)
    {
        const std::size_t mark = host.mark();
        rewriteBehindTheWatcher(host.configPath(), key + " = " + value + "\n", key + " = " + candidate + "\n");
        const CtlRun run = runCtl(args);
        assertSuccess(run);
        const std::string change = key + ": " + value + " -> " + candidate;
        if (run.out.find(change) != std::string::npos)
            return {run, candidate};
        // The watcher was first: it logged the change, and the reload found nothing new.
        CPPUNIT_ASSERT_MESSAGE(run.describe(), run.out.find("no value changed") != std::string::npos);
        host.waitForLine(mark, {"configuration reloaded after ", change});
        value = candidate;
    }
    CPPUNIT_FAIL("the watcher saw every change first");
    return {};
}

} // namespace

class CtlEndToEndTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(CtlEndToEndTest);
    CPPUNIT_TEST(helpAndVersion);
    CPPUNIT_TEST(usageErrorsExitTwoWithOneLine);
    CPPUNIT_TEST(unreachableServerExitsThreeWithOneLine);
    CPPUNIT_TEST(statusShowsHostAndRouteServer);
    CPPUNIT_TEST(peersMatchTheTraffic);
    CPPUNIT_TEST(userShowsLoginsByMsgServerAndClientType);
    CPPUNIT_TEST(traceFollowsAMessageAndCtrlCEndsIt);
    CPPUNIT_TEST(traceEndsWhenItsTimeIsUp);
    CPPUNIT_TEST(traceCutShortExitsNonZero);
    CPPUNIT_TEST(reloadPrintsWhatChangedOrWhyNot);
    CPPUNIT_TEST(drainClosesOneMsgServer);
    CPPUNIT_TEST(postsNeedTheTokenWhenOneIsSet);
    CPPUNIT_TEST(addressComesFromThePropertiesFile);
    CPPUNIT_TEST(jsonOutputParses);
    CPPUNIT_TEST_SUITE_END();

public:
    /// --help is a manual naming every command, option and exit status; --version the version.
    void helpAndVersion()
    {
        for (const std::vector<std::string>& args : {std::vector<std::string>{"--help"}, {"help"}, {"-h"}, {"status", "--help"}})
        {
            const CtlRun help = runCtl(args);
            assertSuccess(help);
            for (const char* part : {"SYNOPSIS", "status", "peers", "user ID...", "trace ID...", "--for DURATION", "reload", "drain PEER",
                                     "--admin HOST:PORT", "--config FILE", "--token TOKEN", "TTCTL_TOKEN", "--json", "EXIT STATUS"})
                CPPUNIT_ASSERT_MESSAGE(std::string("lacks ") + part + ": " + help.describe(), help.out.find(part) != std::string::npos);
        }
        const CtlRun version = runCtl({"--version"});
        assertSuccess(version);
        CPPUNIT_ASSERT_EQUAL(std::string("ttctl " TTROUTE_VERSION "\n"), version.out);
    }

    /// Wrong command lines exit 2 with one line that says what is wrong and points to
    /// --help, before anything is asked of a server (none listens on the port given).
    void usageErrorsExitTwoWithOneLine()
    {
        const std::uint16_t nobody = tttest::freePort();
        const std::vector<std::pair<std::vector<std::string>, std::string>> cases{
            {{}, "no command"},
            {{"stats"}, "unknown command 'stats'"},
            {{"--bogus", "status"}, "unknown option '--bogus'"},
            {{"status", "extra"}, "status takes no arguments"},
            {{"peers", "1"}, "peers takes no arguments"},
            {{"user"}, "user needs at least one user id"},
            {{"user", "12x"}, "'12x' is not a user id"},
            {{"user", "4294967296"}, "'4294967296' is not a user id"},
            {{"trace"}, "trace needs at least one user id"},
            {{"trace", "1", "--for", "soon"}, "--for: 'soon' is not a duration"},
            {{"trace", "1", "--json"}, "--json does not apply to trace"},
            {{"status", "--for", "5m"}, "--for applies to trace only"},
            {{"drain"}, "drain needs one peer"},
            {{"drain", "1", "2"}, "drain needs one peer"},
            {{"drain", "nobody"}, "'nobody' is neither a peer id nor a HOST:PORT address"},
            {{"status", "--token"}, "--token needs a value"},
            {{"status", "--json=yes"}, "--json takes no value"},
        };
        for (const auto& [args, reason] : cases)
        {
            std::vector<std::string> all = at(nobody, args);
            assertFailure(runCtl(all), 2, {reason, "see ttctl --help"});
        }
        assertFailure(runCtl({"--admin", "no-port-here", "--config", "/dev/null", "status"}), 2, {"--admin: 'no-port-here' is not HOST:PORT"});
        TempDir dir;
        assertFailure(runCtl({"--config", dir.path() + "/missing.properties", "status"}), 2, {"cannot read --config " + dir.path() + "/missing.properties"});
    }

    /// Nothing listens: exit 3 and exactly "ttctl: cannot reach the admin endpoint at
    /// ADDRESS: Connection refused", for every command.
    void unreachableServerExitsThreeWithOneLine()
    {
        const std::uint16_t nobody = tttest::freePort();
        const std::string line = "ttctl: cannot reach the admin endpoint at 127.0.0.1:" + std::to_string(nobody) + ": Connection refused\n";
        for (const std::vector<std::string>& args : {std::vector<std::string>{"status"}, {"peers"}, {"user", "1"}, {"trace", "1", "--for", "5s"},
                                                     {"reload"}, {"drain", "1"}, {"--json", "status"}})
        {
            const CtlRun run = runCtl(at(nobody, args));
            assertFailure(run, 3, {});
            CPPUNIT_ASSERT_EQUAL_MESSAGE(run.describe(), line, run.err);
        }
    }

    /// `ttctl status`: version, uptime, readiness, relay mode, msg servers, online users,
    /// logins by client type, the configuration file and the last reload, as the traffic
    /// and the server's own JSON have them.
    void statusShowsHostAndRouteServer()
    {
        RunningHost host(config());
        const std::uint16_t port = host.port();
        const std::uint16_t admin = host.adminPort();
        FakeMsgServer f1(port);
        FakeMsgServer f2(port);
        CPPUNIT_ASSERT(f1.sync().empty());
        CPPUNIT_ASSERT(f2.sync().empty());
        f1.send(tttest::statusUpdate(10, kOnline, kWindows));
        f1.send(tttest::statusUpdate(11, kOnline, kAndroid));
        f2.send(tttest::statusUpdate(12, kOnline, kMac));
        f2.send(tttest::statusUpdate(12, kOnline, kIos));
        f1.sync();
        f2.sync();

        const CtlRun run = runCtl(at(admin, {"status"}));
        assertSuccess(run);
        const auto fields = parseFields(run.out);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(run.out, std::string(TTROUTE_VERSION), field(fields, "version", run.out));
        CPPUNIT_ASSERT_MESSAGE(run.out, std::regex_match(field(fields, "uptime", run.out), std::regex("([0-9.]+s|[0-9]+m [0-9]+s), since [0-9T:-]+Z")));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(run.out, std::string("yes"), field(fields, "ready", run.out));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(run.out, std::string("broadcast"), field(fields, "relay mode", run.out));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(run.out, std::string("2"), field(fields, "msg servers", run.out));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(run.out, std::string("3"), field(fields, "online users", run.out));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(run.out, std::string("windows 1, mac 1, ios 1, android 1"), field(fields, "logins", run.out));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(run.out, std::string("none"), field(fields, "traces", run.out));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(run.out, host.configPath(), field(fields, "config file", run.out));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(run.out, std::string("none"), field(fields, "last reload", run.out));

        // A reload shows up as the last one, with its result and message.
        rewriteBehindTheWatcher(host.configPath(), "route.idle_timeout = 1h\n", "route.idle_timeout = xx\n");
        assertFailure(runCtl(at(admin, {"reload"})), 1, {"route.idle_timeout"});
        const CtlRun after = runCtl(at(admin, {"status"}));
        assertSuccess(after);
        const std::string last = field(parseFields(after.out), "last reload", after.out);
        CPPUNIT_ASSERT_MESSAGE(after.out, std::regex_search(last, std::regex("^rejected at [0-9T:-]+Z: configuration reload .*route\\.idle_timeout")));
        // (The watcher rejects the file too if its look falls between the write and the restore.)
        CPPUNIT_ASSERT_MESSAGE(after.out, std::regex_match(field(parseFields(after.out), "reloads", after.out), std::regex("0 applied, 0 unchanged, [12] rejected")));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(host.log(), 0, host.stopWith(SIGTERM));
    }

    /// `ttctl peers`: a row per msg server, with exactly the PDUs it sent and received, its
    /// users and logins, and its role once it said it.
    void peersMatchTheTraffic()
    {
        RunningHost host(config());
        const std::uint16_t port = host.port();
        const std::uint16_t admin = host.adminPort();
        {
            const CtlRun none = runCtl(at(admin, {"peers"}));
            assertSuccess(none);
            CPPUNIT_ASSERT_EQUAL(std::string("no msg server is connected\n"), none.out);
        }
        FakeMsgServer f1(port);
        FakeMsgServer f2(port);
        FakeMsgServer f3(port);
        FakeMsgServer* fakes[] = {&f1, &f2, &f3};
        std::map<FakeMsgServer*, std::uint64_t> pdusIn, bytesIn, pdusOut;
        const std::string syncFrame = tttest::statusRequest(0xF000, 0x5EC0DE, {});
        auto send = [&](FakeMsgServer& fake, const std::string& frame) {
            fake.send(frame);
            pdusIn[&fake] += 1;
            bytesIn[&fake] += frame.size();
        };
        auto sync = [&](FakeMsgServer& fake) {
            const auto got = fake.sync();
            pdusIn[&fake] += 1;
            bytesIn[&fake] += syncFrame.size();
            pdusOut[&fake] += got.size() + 1;
        };
        for (FakeMsgServer* fake : fakes)
            sync(*fake);
        send(f1, tttest::roleSet(true));
        send(f2, tttest::roleSet(false));
        send(f1, tttest::statusUpdate(10, kOnline, kWindows));
        send(f1, tttest::statusUpdate(11, kOnline, kAndroid));
        send(f1, tttest::statusUpdate(11, kOnline, kAndroid));
        send(f2, tttest::statusUpdate(12, kOnline, kMac));
        send(f3, tttest::msgData(10, 12, 1, "hello"));
        // After one round every PDU sent has been routed; the second collects what the round
        // itself left on its way to the msg servers synced before the others' PDUs were routed.
        for (int round = 0; round < 2; ++round)
            for (FakeMsgServer* fake : fakes)
                sync(*fake);

        // The counters are the server's; they must come to exactly the traffic.
        waitUntil(
            [&] {
                const auto peers = tttest::peersByAddress(admin);
                for (FakeMsgServer* fake : fakes)
                {
                    const auto found = peers.find(addressOf(*fake));
                    if (found == peers.end() || found->second->getValue<std::uint64_t>("pdus_in") != pdusIn[fake] ||
                        found->second->getValue<std::uint64_t>("pdus_out") != pdusOut[fake])
                        return false;
                }
                return true;
            },
            [&] {
                std::string expected = "/peers counts every PDU sent and received; expected (address pdus_in pdus_out):";
                for (FakeMsgServer* fake : fakes)
                    expected += " " + addressOf(*fake) + " " + std::to_string(pdusIn[fake]) + " " + std::to_string(pdusOut[fake]);
                std::ostringstream json;
                adminGet(admin, "/peers")->stringify(json);
                return expected + "; /peers: " + json.str();
            });
        const auto json = tttest::peersByAddress(admin);

        const CtlRun run = runCtl(at(admin, {"peers"}));
        assertSuccess(run);
        const auto rows = parseTable(run.out);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(run.out, std::size_t(3), rows.size());
        const std::vector<std::string> headers{"ID", "ADDRESS", "CONNECTED SINCE", "USERS", "LOGINS", "PDUS IN", "BYTES IN", "PDUS OUT",
                                               "BYTES OUT", "QUEUED", "LAST RECEIVE", "ROLE"};
        CPPUNIT_ASSERT_MESSAGE(run.out, cells(lines(run.out).front()) == headers);
        const std::map<FakeMsgServer*, std::string> users{{&f1, "2"}, {&f2, "1"}, {&f3, "0"}};
        const std::map<FakeMsgServer*, std::string> logins{{&f1, "windows=1,android=2"}, {&f2, "mac=1"}, {&f3, "-"}};
        const std::map<FakeMsgServer*, std::string> roles{{&f1, "master"}, {&f2, "non-master"}, {&f3, "-"}};
        for (FakeMsgServer* fake : fakes)
        {
            const std::string address = addressOf(*fake);
            const auto row = std::find_if(rows.begin(), rows.end(), [&](const Row& r) { return r.at("ADDRESS") == address; });
            CPPUNIT_ASSERT_MESSAGE("no row for " + address + ":\n" + run.out, row != rows.end());
            const auto& peer = json.at(address);
            const std::string context = address + " in\n" + run.out;
            CPPUNIT_ASSERT_EQUAL_MESSAGE(context, peer->get("id").toString(), row->at("ID"));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(context, users.at(fake), row->at("USERS"));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(context, logins.at(fake), row->at("LOGINS"));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(context, std::to_string(pdusIn[fake]), row->at("PDUS IN"));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(context, std::to_string(bytesIn[fake]) + "B", row->at("BYTES IN"));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(context, std::to_string(pdusOut[fake]), row->at("PDUS OUT"));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(context, peer->get("bytes_out").toString() + "B", row->at("BYTES OUT"));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(context, std::string("0B"), row->at("QUEUED"));
            CPPUNIT_ASSERT_MESSAGE(context, std::regex_match(row->at("CONNECTED SINCE"), std::regex("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z")));
            CPPUNIT_ASSERT_MESSAGE(context, std::regex_match(row->at("LAST RECEIVE"), std::regex("[0-9.]+s ago")));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(context, roles.at(fake), row->at("ROLE"));
        }
        CPPUNIT_ASSERT_EQUAL_MESSAGE(host.log(), 0, host.stopWith(SIGTERM));
    }

    /// `ttctl user A B`: a row per (user, msg server, client type) with the count and the
    /// user's status; a user online nowhere is one row, offline.
    void userShowsLoginsByMsgServerAndClientType()
    {
        RunningHost host(config());
        const std::uint16_t port = host.port();
        const std::uint16_t admin = host.adminPort();
        FakeMsgServer f1(port);
        FakeMsgServer f2(port);
        CPPUNIT_ASSERT(f1.sync().empty());
        CPPUNIT_ASSERT(f2.sync().empty());
        f1.send(tttest::statusUpdate(100, kOnline, kWindows));
        f1.send(tttest::statusUpdate(100, kOnline, kWindows));
        f1.send(tttest::statusUpdate(100, kOnline, kAndroid));
        f2.send(tttest::statusUpdate(100, kOnline, kMac));
        f2.send(tttest::statusUpdate(101, kOnline, kIos));
        f1.sync();
        f2.sync();
        const std::string id1 = idOf(admin, f1), id2 = idOf(admin, f2);

        const CtlRun run = runCtl(at(admin, {"user", "100", "101", "999999"}));
        assertSuccess(run);
        const auto rows = parseTable(run.out);
        CPPUNIT_ASSERT_MESSAGE(run.out, cells(lines(run.out).front()) ==
                                            std::vector<std::string>({"USER", "STATUS", "PEER", "ADDRESS", "CLIENT TYPE", "LOGINS"}));
        std::multiset<std::string> got;
        for (const Row& row : rows)
            got.insert(row.at("USER") + " " + row.at("STATUS") + " " + row.at("PEER") + " " + row.at("ADDRESS") + " " + row.at("CLIENT TYPE") +
                       " " + row.at("LOGINS"));
        const std::multiset<std::string> expected{
            "100 online " + id1 + " " + addressOf(f1) + " windows 2",
            "100 online " + id1 + " " + addressOf(f1) + " android 1",
            "100 online " + id2 + " " + addressOf(f2) + " mac 1",
            "101 offline " + id2 + " " + addressOf(f2) + " ios 1", // mobile only: offline, as a status query answers
            "999999 offline - - - -",
        };
        CPPUNIT_ASSERT_MESSAGE(run.out, expected == got);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(host.log(), 0, host.stopWith(SIGTERM));
    }

    /// `ttctl trace 400`: a MSG_DATA from user 400 on one msg server to 401 on another is
    /// printed as it is relayed (without its content); Ctrl-C ends ttctl, and the server ends
    /// the trace.
    void traceFollowsAMessageAndCtrlCEndsIt()
    {
        RunningHost host(config());
        const std::uint16_t port = host.port();
        const std::uint16_t admin = host.adminPort();
        FakeMsgServer f1(port);
        FakeMsgServer f2(port);
        CPPUNIT_ASSERT(f1.sync().empty());
        CPPUNIT_ASSERT(f2.sync().empty());

        BackgroundCtl trace(at(admin, {"trace", "400", "--for", "5m"}));
        waitUntil([&] { return traceCount(admin) == 1; }, "the trace is listed by /status");
        const std::string message = tttest::msgData(400, 401, 77, "a secret message");
        f1.send(message);
        CPPUNIT_ASSERT(f1.sync().empty());
        const auto relayed = f2.sync();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), relayed.size());
        CPPUNIT_ASSERT(relayed[0].bytes == message);

        // A line about the PDU (not one about the trace) names the command and both users.
        std::string line;
        waitUntil(
            [&] {
                for (const std::string& candidate : tttest::completeLines(trace.out(), 0))
                {
                    std::string lower = candidate;
                    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
                    if (candidate.rfind("#", 0) != 0 && lower.find("msg_data") != std::string::npos)
                        return line = candidate, true;
                }
                return false;
            },
            "a MSG_DATA line in the trace:\n" + trace.out());
        CPPUNIT_ASSERT_MESSAGE(line, line.find("400") != std::string::npos && line.find("401") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(trace.out(), trace.out().find("a secret message") == std::string::npos);

        trace.process().signal(SIGINT);
        const CtlRun run = trace.finish();
        CPPUNIT_ASSERT_EQUAL_MESSAGE(run.describe(), 128 + SIGINT, run.status);
        waitUntil([&] { return traceCount(admin) == 0; }, "the server ends the trace of a client that went");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(host.log(), 0, host.stopWith(SIGTERM));
    }

    /// `ttctl trace 400 401 --for 1.5s` ends by itself with status 0, the server's last line
    /// saying why; a trace the server refuses (too long, too many users) exits 1 with its reason.
    void traceEndsWhenItsTimeIsUp()
    {
        RunningHost host(config());
        host.port();
        const std::uint16_t admin = host.adminPort();
        assertFailure(runCtl(at(admin, {"trace", "400", "--for", "16m"})), 1, {"'16m' is out of range"});
        std::vector<std::string> seventeen = at(admin, {"trace"});
        for (int user = 1; user <= 17; ++user)
            seventeen.push_back(std::to_string(user));
        assertFailure(runCtl(seventeen), 1, {});

        const CtlRun run = runCtl(at(admin, {"trace", "400", "401", "--for", "1.5s"}));
        assertSuccess(run);
        const auto all = lines(run.out);
        CPPUNIT_ASSERT_MESSAGE(run.describe(), !all.empty() && all.back().rfind("#", 0) == 0);
        waitUntil([&] { return traceCount(admin) == 0; }, "the trace that ended is no longer listed");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(host.log(), 0, host.stopWith(SIGTERM));
    }

    /// A trace whose server dies exits 3 with one line; the trace had not ended.
    void traceCutShortExitsNonZero()
    {
        RunningHost host(config());
        host.port();
        const std::uint16_t admin = host.adminPort();
        BackgroundCtl trace(at(admin, {"trace", "400", "--for", "5m"}));
        waitUntil([&] { return traceCount(admin) == 1; }, "the trace is listed by /status");
        CPPUNIT_ASSERT_EQUAL(128 + SIGKILL, host.stopWith(SIGKILL));
        CtlRun run = trace.finish();
        // What it printed of the trace stays on stdout; the reason is one line on stderr: the
        // connection ended without the end of the trace (or, should the kernel reset it, a reset).
        CPPUNIT_ASSERT_MESSAGE(run.describe(), run.out.rfind("#", 0) == 0 || run.out.empty());
        run.out.clear();
        assertFailure(run, 3, {"admin endpoint at 127.0.0.1:" + std::to_string(admin)});
    }

    /// `ttctl reload` prints what changed, or that nothing did; a broken file exits 1 with
    /// the reason on one line, and the running configuration stays.
    void reloadPrintsWhatChangedOrWhyNot()
    {
        RunningHost host(config());
        host.port();
        const std::uint16_t admin = host.adminPort();

        const CtlRun unchanged = runCtl(at(admin, {"reload"}));
        assertSuccess(unchanged);
        CPPUNIT_ASSERT_EQUAL(std::string("configuration re-read on request of the admin endpoint: no value changed\n"), unchanged.out);

        const auto [applied, value] = reloadChange(host, at(admin, {"reload"}), "route.idle_timeout", "1h", {"2h", "3h", "4h", "5h", "6h"});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(applied.describe(), std::size_t(1), lines(applied.out).size());
        CPPUNIT_ASSERT_MESSAGE(applied.describe(), applied.out.rfind("configuration reloaded on request of the admin endpoint: ", 0) == 0);

        rewriteBehindTheWatcher(host.configPath(), "route.idle_timeout = " + value + "\n", "route.idle_timeout = xx\n");
        const CtlRun rejected = runCtl(at(admin, {"reload"}));
        assertFailure(rejected, 1, {"rejected, the running configuration stays in force", "route.idle_timeout: 'xx' is not a duration"});

        // The file in force is still the one before.
        const auto settings = adminGet(admin, "/host")->getObject("config")->getObject("settings");
        CPPUNIT_ASSERT_EQUAL(value, settings->getValue<std::string>("route.idle_timeout"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(host.log(), 0, host.stopWith(SIGTERM));
    }

    /// `ttctl drain ID` closes that msg server's connection (it sees the close) and says
    /// so; the others stay; an address works as well as an id; an unknown peer exits 1.
    void drainClosesOneMsgServer()
    {
        RunningHost host(config());
        const std::uint16_t port = host.port();
        const std::uint16_t admin = host.adminPort();
        FakeMsgServer f1(port);
        FakeMsgServer f2(port);
        FakeMsgServer f3(port);
        CPPUNIT_ASSERT(f1.sync().empty());
        CPPUNIT_ASSERT(f2.sync().empty());
        CPPUNIT_ASSERT(f3.sync().empty());
        f1.send(tttest::statusUpdate(20, kOnline, kWindows));
        f1.sync();
        f2.sync();
        f3.sync();
        const std::string id1 = idOf(admin, f1);

        const CtlRun run = runCtl(at(admin, {"drain", id1}));
        assertSuccess(run);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(run.describe(), std::size_t(1), lines(run.out).size());
        CPPUNIT_ASSERT_MESSAGE(run.describe(), run.out.rfind("drained msg server " + id1 + " at " + addressOf(f1) + " (1 user hosted): ", 0) == 0);
        CPPUNIT_ASSERT_MESSAGE("the drained msg server's connection stays open", f1.waitClosed(20s));

        // By address, as `ttctl peers` shows it.
        const std::string id2 = idOf(admin, f2);
        const CtlRun byAddress = runCtl(at(admin, {"drain", addressOf(f2)}));
        assertSuccess(byAddress);
        CPPUNIT_ASSERT_MESSAGE(byAddress.describe(), byAddress.out.rfind("drained msg server " + id2 + " at " + addressOf(f2) + " (0 users hosted)", 0) == 0);
        CPPUNIT_ASSERT_MESSAGE("the msg server drained by address stays open", f2.waitClosed(20s));

        // The third is untouched: it still gets answers.
        f3.sync();
        waitUntil([&] { return tttest::peersByAddress(admin).size() == 1; }, "only the third msg server is left");

        assertFailure(runCtl(at(admin, {"drain", "999999"})), 1, {});
        assertFailure(runCtl(at(admin, {"drain", "127.0.0.1:1"})), 1, {"no msg server is connected from 127.0.0.1:1"});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(host.log(), 0, host.stopWith(SIGTERM));
    }

    /// With host.admin.token set, reload and drain need it (--token, $TTCTL_TOKEN or the
    /// properties file): without it or with a wrong one they exit 1 with the server's reason;
    /// GETs need none; the token is never printed.
    void postsNeedTheTokenWhenOneIsSet()
    {
        RunningHost host(config("host.admin.token = " + kToken + "\n"));
        const std::uint16_t port = host.port();
        const std::uint16_t admin = host.adminPort();
        FakeMsgServer f1(port);
        CPPUNIT_ASSERT(f1.sync().empty());
        const std::string id1 = idOf(admin, f1);
        std::vector<CtlRun> runs;

        for (const std::vector<std::string>& args : {std::vector<std::string>{"reload"}, {"drain", id1}})
        {
            runs.push_back(runCtl(at(admin, args)));
            assertFailure(runs.back(), 1, {"token"});
            std::vector<std::string> wrong = at(admin, args);
            wrong.insert(wrong.end(), {"--token", "not-" + kToken});
            runs.push_back(runCtl(wrong));
            assertFailure(runs.back(), 1, {"token"});
            runs.push_back(runCtl(at(admin, args), {"TTCTL_TOKEN=wrong"}));
            assertFailure(runs.back(), 1, {"token"});
        }
        f1.sync(); // refused POSTs left the msg server alone

        // GETs need none.
        runs.push_back(runCtl(at(admin, {"status"})));
        assertSuccess(runs.back());
        runs.push_back(runCtl(at(admin, {"--json", "status"})));
        assertSuccess(runs.back());

        // The right token, each way.
        std::vector<std::string> withOption = at(admin, {"reload", "--token", kToken});
        runs.push_back(runCtl(withOption));
        assertSuccess(runs.back());
        runs.push_back(runCtl(at(admin, {"reload"}), {"TTCTL_TOKEN=" + kToken}));
        assertSuccess(runs.back());
        runs.push_back(runCtl({"--admin", "127.0.0.1:" + std::to_string(admin), "--config", host.configPath(), "reload"}));
        assertSuccess(runs.back());
        // --token wins over the variable.
        runs.push_back(runCtl(at(admin, {"drain", id1, "--token", kToken}), {"TTCTL_TOKEN=wrong"}));
        assertSuccess(runs.back());
        CPPUNIT_ASSERT(f1.waitClosed(20s));

        for (const CtlRun& run : runs)
            CPPUNIT_ASSERT_MESSAGE("the token was printed: " + run.describe(),
                                   run.out.find(kToken) == std::string::npos && run.err.find(kToken) == std::string::npos);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(host.log(), 0, host.stopWith(SIGTERM));
    }

    /// Without --admin, the address is host.admin.listen of the properties file (--config);
    /// a file that turns the endpoint off exits 3 saying so.
    void addressComesFromThePropertiesFile()
    {
        RunningHost host(config());
        host.port();
        const std::uint16_t admin = host.adminPort();
        TempDir dir;
        const std::string file = dir.write("operator.properties", "host.admin.listen = 127.0.0.1:" + std::to_string(admin) + "\n");
        const CtlRun run = runCtl({"--config", file, "status"});
        assertSuccess(run);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(run.out, std::string("yes"), field(parseFields(run.out), "ready", run.out));

        // As the log prints it, or as a wildcard listen address.
        assertSuccess(runCtl({"--config", "/dev/null", "--admin", "http://127.0.0.1:" + std::to_string(admin) + "/", "status"}));
        assertSuccess(runCtl({"--config", dir.write("wild.properties", "host.admin.listen = 0.0.0.0:" + std::to_string(admin) + "\n"), "status"}));

        const std::string off = dir.write("off.properties", "host.admin.listen =\n");
        assertFailure(runCtl({"--config", off, "status"}), 3, {"the admin endpoint is turned off: host.admin.listen is empty in " + off});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(host.log(), 0, host.stopWith(SIGTERM));
    }

    /// --json prints the server's JSON, one object on one line, for every command but trace;
    /// status combines /host and /status.
    void jsonOutputParses()
    {
        RunningHost host(config());
        const std::uint16_t port = host.port();
        const std::uint16_t admin = host.adminPort();
        FakeMsgServer f1(port);
        FakeMsgServer f2(port);
        CPPUNIT_ASSERT(f1.sync().empty());
        CPPUNIT_ASSERT(f2.sync().empty());
        f1.send(tttest::statusUpdate(30, kOnline, kWindows));
        f1.sync();
        f2.sync();

        const CtlRun status = runCtl(at(admin, {"--json", "status"}));
        assertSuccess(status);
        const auto combined = jsonLine(status.out);
        CPPUNIT_ASSERT_MESSAGE(status.out, combined->isObject("host") && combined->isObject("route"));
        CPPUNIT_ASSERT_EQUAL(std::string(TTROUTE_VERSION), combined->getObject("host")->getValue<std::string>("version"));
        CPPUNIT_ASSERT_EQUAL(2, combined->getObject("route")->getValue<int>("msg_servers"));

        const CtlRun peers = runCtl(at(admin, {"peers", "--json"}));
        assertSuccess(peers);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), jsonLine(peers.out)->getArray("peers")->size());

        const CtlRun user = runCtl(at(admin, {"--json", "user", "30"}));
        assertSuccess(user);
        const auto users = jsonLine(user.out)->getArray("users");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), users->size());
        CPPUNIT_ASSERT_EQUAL(std::string("online"), users->getObject(0)->getValue<std::string>("status"));

        const CtlRun reload = runCtl(at(admin, {"--json", "reload"}));
        assertSuccess(reload);
        CPPUNIT_ASSERT_EQUAL(std::string("unchanged"), jsonLine(reload.out)->getValue<std::string>("result"));

        const CtlRun drain = runCtl(at(admin, {"--json", "drain", idOf(admin, f2)}));
        assertSuccess(drain);
        CPPUNIT_ASSERT_EQUAL(addressOf(f2), jsonLine(drain.out)->getObject("drained")->getValue<std::string>("remote_address"));
        CPPUNIT_ASSERT(f2.waitClosed(20s));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(host.log(), 0, host.stopWith(SIGTERM));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(CtlEndToEndTest);
