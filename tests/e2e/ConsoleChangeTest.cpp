// What the console changes on the real tthost (e2e_console): POST /drain closing one msg server
// gracefully, POST /reload saying what changed or why not, and the refusal of both without
// host.admin.token once one is set.
#include "AdminHttp.h"
#include "AdminJson.h"
#include "ConsoleEndToEnd.h"
#include "HostFixture.h"
#include "Logins.h"
#include "PollUntil.h"
#include "ProtocolConstants.h"

#include <Poco/JSON/Array.h>

#include <cppunit/extensions/HelperMacros.h>

#include <map>

using tttest::FakeMsgServer;
using tttest::getJson;
using tttest::http;
using tttest::HttpReply;
using tttest::jsonObject;
using tttest::logIn;
using tttest::numberField;
using tttest::peerOf;
using tttest::stringField;
using namespace tttest::protocol;

class ConsoleChangeTest : public tttest::HostFixture
{
    CPPUNIT_TEST_SUITE(ConsoleChangeTest);
    CPPUNIT_TEST(drainClosesOneMsgServerGracefully);
    CPPUNIT_TEST(reloadSaysWhatChangedOrWhyNot);
    CPPUNIT_TEST(changesNeedTheTokenOnceOneIsSet);
    CPPUNIT_TEST_SUITE_END();

public:
    void drainClosesOneMsgServerGracefully()
    {
        const std::uint16_t admin = startWithAdmin(config());
        FakeMsgServer& a = connectSilentMsgServer();
        FakeMsgServer& b = connectSilentMsgServer();
        logIn(a, kAlice, kWindows);
        logIn(b, kBob, kWindows);
        const std::uint64_t id = numberField(peerOf(admin, b), "id");
        const HttpReply reply = http(admin, "/drain?peer=" + std::to_string(id), "POST");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(tttest::describe("/drain", reply), 200, reply.status);
        const auto drained = jsonObject(reply.body)->getObject("drained");
        CPPUNIT_ASSERT_EQUAL(id, numberField(drained, "id"));
        CPPUNIT_ASSERT_EQUAL(tttest::addressOf(b), stringField(drained, "remote_address"));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), numberField(drained, "users_hosted"));
        CPPUNIT_ASSERT(b.waitClosed());
        tttest::pollUntil("the drain in /disconnects", [&] {
            const auto list = getJson(admin, "/disconnects")->getArray("disconnects");
            return list->size() == 1 && stringField(list->getObject(0), "reason") == "drained";
        });
        a.sync(); // the other msg server is served on
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), tttest::peersByAddress(admin).size());
        CPPUNIT_ASSERT_EQUAL(404, http(admin, "/drain?peer=" + std::to_string(id), "POST").status);
        CPPUNIT_ASSERT_EQUAL(400, http(admin, "/drain", "POST").status);
        CPPUNIT_ASSERT_EQUAL(400, http(admin, "/drain?peer=1&peer=2", "POST").status);
        assertMethodRefused(admin, "/drain?peer=1", "GET", "POST");
        stopCleanly();
    }

    void reloadSaysWhatChangedOrWhyNot()
    {
        const std::uint16_t admin = startWithAdmin(config());
        auto reload = [&] { return http(admin, "/reload", "POST"); };
        const HttpReply unchanged = reload();
        CPPUNIT_ASSERT_EQUAL_MESSAGE(tttest::describe("/reload", unchanged), 200, unchanged.status);
        CPPUNIT_ASSERT_EQUAL(std::string("unchanged"), stringField(jsonObject(unchanged.body), "result"));

        // tthost also looks at the file every second: whichever reload comes first applies it.
        host().rewrite(config().set("route.relay.mode", "targeted").text());
        const HttpReply changed = reload();
        CPPUNIT_ASSERT_EQUAL_MESSAGE(tttest::describe("/reload", changed), 200, changed.status);
        const std::string result = stringField(jsonObject(changed.body), "result");
        CPPUNIT_ASSERT_MESSAGE(changed.body, result == "applied" || result == "unchanged");
        if (result == "applied")
            CPPUNIT_ASSERT_MESSAGE(changed.body, stringField(jsonObject(changed.body), "message").find("route.relay.mode: (unset) -> targeted") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::string("targeted"), stringField(getJson(admin, "/status"), "relay_mode"));

        host().rewrite(config().set("route.relay.mode", "sideways").text());
        const HttpReply rejected = reload();
        CPPUNIT_ASSERT_EQUAL_MESSAGE(tttest::describe("/reload", rejected), 422, rejected.status);
        CPPUNIT_ASSERT_EQUAL(std::string("rejected"), stringField(jsonObject(rejected.body), "result"));
        CPPUNIT_ASSERT_MESSAGE(rejected.body, stringField(jsonObject(rejected.body), "message").find("route.relay.mode") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::string("targeted"), stringField(getJson(admin, "/status"), "relay_mode"));
        const auto last = getJson(admin, "/host")->getObject("config")->getObject("reloads")->getObject("last");
        CPPUNIT_ASSERT_EQUAL(std::string("rejected"), stringField(last, "result"));
        CPPUNIT_ASSERT_EQUAL(405, http(admin, "/reload").status);
        stopCleanly();
    }

    void changesNeedTheTokenOnceOneIsSet()
    {
        const std::string token = "Zq8-console-token";
        const std::uint16_t admin = startWithAdmin(config().set("host.admin.token", token));
        FakeMsgServer& a = connectSilentMsgServer();
        logIn(a, kAlice, kWindows);
        const std::string drain = "/drain?peer=" + std::to_string(numberField(peerOf(admin, a), "id"));
        for (const std::string& path : {std::string("/reload"), drain})
        {
            for (const std::map<std::string, std::string>& headers :
                 {std::map<std::string, std::string>{}, {{"Authorization", "Bearer wrong"}}, {{"Authorization", token}}})
            {
                const HttpReply refused = http(admin, path, "POST", headers);
                CPPUNIT_ASSERT_EQUAL_MESSAGE(tttest::describe(path, refused), 403, refused.status);
                CPPUNIT_ASSERT_MESSAGE(refused.body, stringField(jsonObject(refused.body), "error").find("host.admin.token") != std::string::npos);
            }
        }
        CPPUNIT_ASSERT_EQUAL(200, http(admin, "/status").status); // reading needs no token
        a.sync();                                                  // not drained
        const std::map<std::string, std::string> bearer{{"Authorization", "Bearer " + token}};
        CPPUNIT_ASSERT_EQUAL(200, http(admin, "/reload", "POST", bearer).status);
        CPPUNIT_ASSERT_EQUAL(200, http(admin, drain, "POST", bearer).status);
        CPPUNIT_ASSERT(a.waitClosed());
        CPPUNIT_ASSERT(host().log().find(token) == std::string::npos);
        stopCleanly();
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ConsoleChangeTest);
