// The ttctl commands that change the running tthost (e2e_ctl): `ttctl reload`, with what
// changed or why the file was rejected; `ttctl drain`, by id or by address; and the token
// they need once host.admin.token is set, never printed.
#include "AdminHttp.h"
#include "AdminJson.h"
#include "CtlEndToEnd.h"
#include "CtlOutput.h"
#include "CtlRun.h"
#include "HostFixture.h"
#include "Logins.h"
#include "PollUntil.h"
#include "ProtocolConstants.h"

#include <cppunit/extensions/HelperMacros.h>

using tttest::addressOf;
using tttest::FakeMsgServer;
using namespace tttest::protocol;
using namespace std::chrono_literals;

class CtlChangeTest : public tttest::HostFixture
{
    CPPUNIT_TEST_SUITE(CtlChangeTest);
    CPPUNIT_TEST(reloadPrintsWhatChangedOrWhyNot);
    CPPUNIT_TEST(drainClosesOneMsgServer);
    CPPUNIT_TEST(postsNeedTheTokenWhenOneIsSet);
    CPPUNIT_TEST_SUITE_END();

public:
    /// `ttctl reload` prints what changed, or that nothing did; a broken file exits 1 with
    /// the reason on one line, and the running configuration stays.
    void reloadPrintsWhatChangedOrWhyNot()
    {
        const std::uint16_t admin = startWithAdmin(config());

        const CtlRun unchanged = runCtl(at(admin, {"reload"}));
        assertSuccess(unchanged);
        CPPUNIT_ASSERT_EQUAL(std::string("configuration re-read on request of the admin endpoint: no value changed\n"), unchanged.out);

        const auto [applied, value] = reloadChange(host(), at(admin, {"reload"}), "route.idle_timeout", "1h", {"2h", "3h", "4h", "5h", "6h"});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(applied.describe(), std::size_t(1), lines(applied.out).size());
        CPPUNIT_ASSERT_MESSAGE(applied.describe(), applied.out.rfind("configuration reloaded on request of the admin endpoint: ", 0) == 0);

        rewriteBehindTheWatcher(host().configPath(), "route.idle_timeout = " + value + "\n", "route.idle_timeout = xx\n");
        const CtlRun rejected = runCtl(at(admin, {"reload"}));
        assertFailure(rejected, 1, {"rejected, the running configuration stays in force", "route.idle_timeout: 'xx' is not a duration"});

        // The file in force is still the one before.
        const auto settings = tttest::getJson(admin, "/host")->getObject("config")->getObject("settings");
        CPPUNIT_ASSERT_EQUAL(value, settings->getValue<std::string>("route.idle_timeout"));
        stopCleanly();
    }

    /// `ttctl drain ID` closes that msg server's connection (it sees the close) and says
    /// so; the others stay; an address works as well as an id; an unknown peer exits 1.
    void drainClosesOneMsgServer()
    {
        const std::uint16_t admin = startWithAdmin(config());
        FakeMsgServer& f1 = connectMsgServer();
        FakeMsgServer& f2 = connectMsgServer();
        FakeMsgServer& f3 = connectMsgServer();
        tttest::logIn(f1, 20, kWindows);
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
        tttest::pollUntil("only the third msg server is left", [&] { return tttest::peersByAddress(admin).size() == 1; });

        assertFailure(runCtl(at(admin, {"drain", "999999"})), 1, {});
        assertFailure(runCtl(at(admin, {"drain", "127.0.0.1:1"})), 1, {"no msg server is connected from 127.0.0.1:1"});
        stopCleanly();
    }

    /// With host.admin.token set, reload and drain need it (--token, $TTCTL_TOKEN or the
    /// properties file): without it or with a wrong one they exit 1 with the server's reason;
    /// GETs need none; the token is never printed.
    void postsNeedTheTokenWhenOneIsSet()
    {
        const std::uint16_t admin = startWithAdmin(config().set("host.admin.token", kToken));
        FakeMsgServer& f1 = connectMsgServer();
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
        runs.push_back(runCtl({"--admin", "127.0.0.1:" + std::to_string(admin), "--config", host().configPath(), "reload"}));
        assertSuccess(runs.back());
        // --token wins over the variable.
        runs.push_back(runCtl(at(admin, {"drain", id1, "--token", kToken}), {"TTCTL_TOKEN=wrong"}));
        assertSuccess(runs.back());
        CPPUNIT_ASSERT(f1.waitClosed(20s));

        for (const CtlRun& run : runs)
            CPPUNIT_ASSERT_MESSAGE("the token was printed: " + run.describe(),
                                   run.out.find(kToken) == std::string::npos && run.err.find(kToken) == std::string::npos);
        stopCleanly();
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(CtlChangeTest);
