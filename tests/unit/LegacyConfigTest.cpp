// The original TeamTalk routeserver.conf, recognised and translated into tthost keys.
#include "ConfigFile.h"
#include "HostProcess.h"
#include "HostSettings.h"
#include "LegacyConfig.h"

#include "tthost/ConfigError.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace tthost;

class LegacyConfigTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(LegacyConfigTest);
    CPPUNIT_TEST(recognisesTheOriginalFile);
    CPPUNIT_TEST(translatesAddressesAndPort);
    CPPUNIT_TEST(missingOrBadValuesNameTheOriginalKey);
    CPPUNIT_TEST(loadConfigFileTakesEitherFormat);
    CPPUNIT_TEST_SUITE_END();

public:
    void recognisesTheOriginalFile()
    {
        CPPUNIT_ASSERT(LegacyConfig::recognises("ListenIP=192.168.0.108\t\t# Listening IP\nListenMsgPort=8200\t\t\t# Listening Port for MsgServer\n"));
        CPPUNIT_ASSERT(LegacyConfig::recognises("# only the port\nListenMsgPort = 8200\n"));
        CPPUNIT_ASSERT(!LegacyConfig::recognises("host.route.listen = 127.0.0.1:8200\n"));
        CPPUNIT_ASSERT(!LegacyConfig::recognises("ListenIP=1.2.3.4\nroute.idle_timeout = 5s\n"));
        CPPUNIT_ASSERT(!LegacyConfig::recognises(""));
    }

    void translatesAddressesAndPort()
    {
        const auto config = LegacyConfig::translate("ListenIP=10.0.0.1;127.0.0.1 ; ::1\t# two and a v6\nListenMsgPort=8200 # port\nOther=x\n");
        CPPUNIT_ASSERT_EQUAL(std::string("10.0.0.1:8200,127.0.0.1:8200,[::1]:8200"), config->getString("host.route.listen"));
        const auto settings = HostSettings::read(*config);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), settings.plugins.at(0).listen.size());
        CPPUNIT_ASSERT_EQUAL(std::string("ttroute"), settings.plugins.at(0).library);
    }

    void missingOrBadValuesNameTheOriginalKey()
    {
        const auto keyOf = [](const std::string& text) {
            try
            {
                LegacyConfig::translate(text);
            }
            catch (const ConfigError& error)
            {
                return error.key();
            }
            return std::string("no error");
        };
        CPPUNIT_ASSERT_EQUAL(std::string("ListenIP"), keyOf("ListenMsgPort=8200\n"));
        CPPUNIT_ASSERT_EQUAL(std::string("ListenIP"), keyOf("ListenIP=  # nothing\nListenMsgPort=8200\n"));
        CPPUNIT_ASSERT_EQUAL(std::string("ListenMsgPort"), keyOf("ListenIP=0.0.0.0\n"));
        CPPUNIT_ASSERT_EQUAL(std::string("ListenMsgPort"), keyOf("ListenIP=0.0.0.0\nListenMsgPort=eighty\n"));
        CPPUNIT_ASSERT_EQUAL(std::string("ListenMsgPort"), keyOf("ListenIP=0.0.0.0\nListenMsgPort=70000\n"));
    }

    void loadConfigFileTakesEitherFormat()
    {
        tttest::TempDir dir;
        const auto legacy = loadConfigFile(dir.write("routeserver.conf", "ListenIP=127.0.0.1\nListenMsgPort=8300\n"));
        CPPUNIT_ASSERT_EQUAL(std::string("127.0.0.1:8300"), legacy->getString("host.route.listen"));
        const auto properties = loadConfigFile(dir.write("tthost.properties", "route.idle_timeout = 5s # not a comment here\n"));
        CPPUNIT_ASSERT_EQUAL(std::string("5s # not a comment here"), properties->getString("route.idle_timeout"));
        try
        {
            loadConfigFile(dir.path() + "/missing.properties");
            CPPUNIT_FAIL("a missing file was read");
        }
        catch (const ConfigError& error)
        {
            CPPUNIT_ASSERT_EQUAL(std::string("--config-file"), error.key());
        }
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(LegacyConfigTest);
