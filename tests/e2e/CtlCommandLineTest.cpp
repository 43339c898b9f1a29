// ttctl's command line (e2e_ctl): --help and --version; usage errors, which exit 2 before any
// server is asked; an unreachable server, which exits 3 for every command; and the admin
// address taken from a properties file, or refused when that file turns the endpoint off.
#include "CtlEndToEnd.h"
#include "CtlOutput.h"
#include "CtlRun.h"
#include "HostFixture.h"
#include "LoopbackSockets.h"

#include <cppunit/extensions/HelperMacros.h>

using tttest::TempDir;

class CtlCommandLineTest : public tttest::HostFixture
{
    CPPUNIT_TEST_SUITE(CtlCommandLineTest);
    CPPUNIT_TEST(helpAndVersion);
    CPPUNIT_TEST(usageErrorsExitTwoWithOneLine);
    CPPUNIT_TEST(unreachableServerExitsThreeWithOneLine);
    CPPUNIT_TEST(addressComesFromThePropertiesFile);
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

    /// Without --admin, the address is host.admin.listen of the properties file (--config);
    /// a file that turns the endpoint off exits 3 saying so.
    void addressComesFromThePropertiesFile()
    {
        const std::string admin = std::to_string(startWithAdmin(config()));
        TempDir dir;
        const std::string file = dir.write("operator.properties", "host.admin.listen = 127.0.0.1:" + admin + "\n");
        const CtlRun run = runCtl({"--config", file, "status"});
        assertSuccess(run);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(run.out, std::string("yes"), field(parseFields(run.out), "ready", run.out));

        // As the log prints it, or as a wildcard listen address.
        assertSuccess(runCtl({"--config", "/dev/null", "--admin", "http://127.0.0.1:" + admin + "/", "status"}));
        assertSuccess(runCtl({"--config", dir.write("wild.properties", "host.admin.listen = 0.0.0.0:" + admin + "\n"), "status"}));

        const std::string off = dir.write("off.properties", "host.admin.listen =\n");
        assertFailure(runCtl({"--config", off, "status"}), 3, {"the admin endpoint is turned off: host.admin.listen is empty in " + off});
        stopCleanly();
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(CtlCommandLineTest);
