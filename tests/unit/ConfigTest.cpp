// Configuration reading: typed values with units and ranges, errors that name the key,
// unknown keys, the host's and the route plugin's settings, and plugin library lookup.
#include "HostProcess.h"
#include "HostSettings.h"
#include "LogDispatcher.h"
#include "config/RouteSettings.h"
#include "tthost/PluginLibrary.h"
#include "tthost/ServerPlugin.h"

#include "tthost/ConfigError.h"
#include "tthost/ConfigReader.h"

#include <Poco/AutoPtr.h>
#include <Poco/Channel.h>
#include <Poco/Instantiator.h>
#include <Poco/Logger.h>
#include <Poco/LoggingFactory.h>
#include <Poco/Message.h>
#include <Poco/Util/MapConfiguration.h>

#include <mutex>

#include <cppunit/extensions/HelperMacros.h>

namespace CppUnit
{
/// Lets CPPUNIT_ASSERT_EQUAL compare and print durations.
template <>
struct assertion_traits<Poco::Timespan>
{
    static bool equal(const Poco::Timespan& a, const Poco::Timespan& b) { return a == b; }
    static std::string toString(const Poco::Timespan& span) { return std::to_string(span.totalMicroseconds()) + "us"; }
};
} // namespace CppUnit

using tthost::ConfigError;
using tthost::ConfigReader;

namespace
{

Poco::AutoPtr<Poco::Util::MapConfiguration> configWith(std::initializer_list<std::pair<const char*, const char*>> entries)
{
    auto config = Poco::makeAuto<Poco::Util::MapConfiguration>();
    for (const auto& [key, value] : entries)
        config->setString(key, value);
    return config;
}

/// A log channel class the logging.* keys can name; it keeps the texts of what it gets.
class CapturingChannel : public Poco::Channel
{
public:
    void log(const Poco::Message& message) override
    {
        std::lock_guard lock(mutex());
        store().push_back(message.getText());
    }

    static std::vector<std::string> texts()
    {
        std::lock_guard lock(mutex());
        return store();
    }

    static void clear()
    {
        std::lock_guard lock(mutex());
        store().clear();
    }

private:
    static std::mutex& mutex()
    {
        static std::mutex instance;
        return instance;
    }
    static std::vector<std::string>& store()
    {
        static std::vector<std::string> instance;
        return instance;
    }
};

/// The key of the ConfigError `action` throws; fails when it throws none.
template <typename Action>
std::string errorKey(Action action, std::string* problem = nullptr)
{
    try
    {
        action();
    }
    catch (const ConfigError& error)
    {
        if (problem)
            *problem = error.problem();
        return error.key();
    }
    CPPUNIT_FAIL("no ConfigError");
    return {};
}

} // namespace

class ConfigTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ConfigTest);
    CPPUNIT_TEST(defaultsApplyWhenKeysAreAbsent);
    CPPUNIT_TEST(durationsTakeUnits);
    CPPUNIT_TEST(byteSizesTakeUnits);
    CPPUNIT_TEST(valuesOutOfRangeAreRejected);
    CPPUNIT_TEST(malformedValuesNameTheKey);
    CPPUNIT_TEST(choicesAndListsAndBooleans);
    CPPUNIT_TEST(unknownKeysAreRejected);
    CPPUNIT_TEST(hostSettingsDefaultToTheRoutePlugin);
    CPPUNIT_TEST(hostSettingsReadEveryKey);
    CPPUNIT_TEST(hostSettingsRejectBadAddressesAndMissingLibraries);
    CPPUNIT_TEST(routeSettingsReadEveryKey);
    CPPUNIT_TEST(routeSettingsRejectBadValues);
    CPPUNIT_TEST(pluginLibraryIsFoundByNameOrPath);
    CPPUNIT_TEST(pluginApiVersionIsCheckedBeforeAnythingElse);
    CPPUNIT_TEST(loggingErrorsNameTheKey);
    CPPUNIT_TEST(loggingRoutesByLoggerAndLevelAndSwapsWhole);
    CPPUNIT_TEST(unknownSectionsAreRejected);
    CPPUNIT_TEST_SUITE_END();

public:
    void defaultsApplyWhenKeysAreAbsent()
    {
        auto config = configWith({});
        ConfigReader reader(*config, "route");
        CPPUNIT_ASSERT_EQUAL(std::string("x"), reader.getString("name", "x"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(7), reader.getInteger("count", 7, 0, 10));
        CPPUNIT_ASSERT_EQUAL(Poco::Timespan(5, 0), reader.getDuration("wait", Poco::Timespan(5, 0), 0, Poco::Timespan(60, 0)));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1024), reader.getByteSize("size", 1024, 0, 1 << 20));
        CPPUNIT_ASSERT(reader.getBool("flag", true));
    }

    void durationsTakeUnits()
    {
        auto config = configWith({{"a", "5"}, {"b", "250ms"}, {"c", "1.5s"}, {"d", "2m"}, {"e", "1h"}, {"f", " 30 s "}});
        ConfigReader reader(*config, "");
        const Poco::Timespan max(24 * 3600, 0);
        CPPUNIT_ASSERT_EQUAL(Poco::Timespan(5, 0), reader.getDuration("a", 0, 0, max));
        CPPUNIT_ASSERT_EQUAL(Poco::Timespan(0, 250000), reader.getDuration("b", 0, 0, max));
        CPPUNIT_ASSERT_EQUAL(Poco::Timespan(1, 500000), reader.getDuration("c", 0, 0, max));
        CPPUNIT_ASSERT_EQUAL(Poco::Timespan(120, 0), reader.getDuration("d", 0, 0, max));
        CPPUNIT_ASSERT_EQUAL(Poco::Timespan(3600, 0), reader.getDuration("e", 0, 0, max));
        CPPUNIT_ASSERT_EQUAL(Poco::Timespan(30, 0), reader.getDuration("f", 0, 0, max));
        CPPUNIT_ASSERT_EQUAL(std::string("250ms"), tthost::formatDuration(Poco::Timespan(0, 250000)));
        CPPUNIT_ASSERT_EQUAL(std::string("5s"), tthost::formatDuration(Poco::Timespan(5, 0)));
    }

    void byteSizesTakeUnits()
    {
        auto config = configWith({{"a", "4194304"}, {"b", "64K"}, {"c", "4M"}, {"d", "1G"}, {"e", "2KiB"}, {"f", "3mb"}});
        ConfigReader reader(*config, "");
        const std::uint64_t max = 1ull << 40;
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(4194304), reader.getByteSize("a", 0, 0, max));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(65536), reader.getByteSize("b", 0, 0, max));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(4194304), reader.getByteSize("c", 0, 0, max));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1) << 30, reader.getByteSize("d", 0, 0, max));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(2048), reader.getByteSize("e", 0, 0, max));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(3) << 20, reader.getByteSize("f", 0, 0, max));
    }

    void valuesOutOfRangeAreRejected()
    {
        auto config = configWith({{"route.n", "11"}, {"route.d", "0ms"}, {"route.s", "2M"}});
        ConfigReader reader(*config, "route");
        std::string problem;
        CPPUNIT_ASSERT_EQUAL(std::string("route.n"), errorKey([&] { reader.getInteger("n", 1, 0, 10); }, &problem));
        CPPUNIT_ASSERT(problem.find("out of range") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::string("route.d"), errorKey([&] { reader.getDuration("d", 1, Poco::Timespan(0, 1000), Poco::Timespan(1, 0)); }));
        CPPUNIT_ASSERT_EQUAL(std::string("route.s"), errorKey([&] { reader.getByteSize("s", 1, 0, 1 << 20); }));
    }

    void malformedValuesNameTheKey()
    {
        auto config = configWith({{"route.n", "12abc"}, {"route.d", "soon"}, {"route.u", "5 parsecs"}, {"route.s", "lots"},
                                  {"route.b", "maybe"}, {"route.e", ""}});
        ConfigReader reader(*config, "route");
        std::string problem;
        CPPUNIT_ASSERT_EQUAL(std::string("route.n"), errorKey([&] { reader.getInteger("n", 1, 0, 100); }, &problem));
        CPPUNIT_ASSERT(problem.find("'12abc'") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::string("route.d"), errorKey([&] { reader.getDuration("d", 1, 0, Poco::Timespan(9, 0)); }));
        CPPUNIT_ASSERT_EQUAL(std::string("route.u"), errorKey([&] { reader.getDuration("u", 1, 0, Poco::Timespan(9, 0)); }, &problem));
        CPPUNIT_ASSERT(problem.find("unit") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::string("route.s"), errorKey([&] { reader.getByteSize("s", 1, 0, 100); }));
        CPPUNIT_ASSERT_EQUAL(std::string("route.b"), errorKey([&] { reader.getBool("b", false); }));
        CPPUNIT_ASSERT_EQUAL(std::string("route.e"), errorKey([&] { reader.getInteger("e", 1, 0, 100); }));
    }

    void choicesAndListsAndBooleans()
    {
        auto config = configWith({{"mode", "BroadCast"}, {"bad", "multicast"}, {"list", "a, b;c  d"}, {"yes", "on"}, {"no", "0"}});
        ConfigReader reader(*config, "");
        CPPUNIT_ASSERT_EQUAL(std::string("broadcast"), reader.getChoice("mode", "x", {"broadcast", "targeted"}));
        std::string problem;
        errorKey([&] { reader.getChoice("bad", "x", {"broadcast", "targeted"}); }, &problem);
        CPPUNIT_ASSERT(problem.find("broadcast, targeted") != std::string::npos);
        CPPUNIT_ASSERT((reader.getList("list", {}) == std::vector<std::string>{"a", "b", "c", "d"}));
        CPPUNIT_ASSERT(reader.getBool("yes", false));
        CPPUNIT_ASSERT(!reader.getBool("no", true));
    }

    void unknownKeysAreRejected()
    {
        auto config = configWith({{"route.idle_timeout", "5"}, {"route.idle_timout", "5"}, {"other.key", "1"}});
        ConfigReader reader(*config, "route");
        reader.getDuration("idle_timeout", 1, 0, Poco::Timespan(60, 0));
        CPPUNIT_ASSERT_EQUAL(std::string("route.idle_timout"), errorKey([&] { reader.rejectUnknownKeys(); }));

        auto clean = configWith({{"route.relay.mode", "broadcast"}});
        ConfigReader cleanReader(*clean, "route");
        cleanReader.getString("relay.mode", "");
        cleanReader.rejectUnknownKeys();
    }

    void hostSettingsDefaultToTheRoutePlugin()
    {
        const auto settings = tthost::HostSettings::read(*configWith({}));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), settings.plugins.size());
        const auto& route = settings.plugins[0];
        CPPUNIT_ASSERT_EQUAL(std::string("route"), route.name);
        CPPUNIT_ASSERT_EQUAL(std::string("ttroute"), route.library);
        CPPUNIT_ASSERT_EQUAL(std::string("RoutePlugin"), route.className);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), route.listen.size());
        CPPUNIT_ASSERT_EQUAL(std::string("127.0.0.1:8200"), route.listen[0].toString());
    }

    void hostSettingsReadEveryKey()
    {
        const auto settings = tthost::HostSettings::read(*configWith({{"host.plugins", "route"},
                                                                       {"host.drain_timeout", "2s"},
                                                                       {"host.route.library", "/opt/libttroute.so"},
                                                                       {"host.route.class", "RoutePlugin"},
                                                                       {"host.route.listen", "127.0.0.1:9000, [::1]:9001"},
                                                                       {"host.route.max_threads", "32"},
                                                                       {"host.route.max_queued", "4"},
                                                                       {"host.route.backlog", "16"}}));
        const auto& route = settings.plugins.at(0);
        CPPUNIT_ASSERT_EQUAL(Poco::Timespan(2, 0), settings.drainTimeout);
        CPPUNIT_ASSERT_EQUAL(std::string("/opt/libttroute.so"), route.library);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), route.listen.size());
        CPPUNIT_ASSERT_EQUAL(std::string("[::1]:9001"), route.listen[1].toString());
        CPPUNIT_ASSERT_EQUAL(32, route.maxThreads);
        CPPUNIT_ASSERT_EQUAL(4, route.maxQueued);
        CPPUNIT_ASSERT_EQUAL(16, route.backlog);
    }

    void hostSettingsRejectBadAddressesAndMissingLibraries()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("host.route.listen"),
                             errorKey([] { tthost::HostSettings::read(*configWith({{"host.route.listen", "127.0.0.1:notaport"}})); }));
        CPPUNIT_ASSERT_EQUAL(std::string("host.route.listen"),
                             errorKey([] { tthost::HostSettings::read(*configWith({{"host.route.listen", ""}})); }));
        CPPUNIT_ASSERT_EQUAL(std::string("host.echo.library"),
                             errorKey([] { tthost::HostSettings::read(*configWith({{"host.plugins", "echo"}})); }));
        CPPUNIT_ASSERT_EQUAL(std::string("host.route.max_threads"),
                             errorKey([] { tthost::HostSettings::read(*configWith({{"host.route.max_threads", "0"}})); }));
        CPPUNIT_ASSERT_EQUAL(std::string("host.route.lisen"),
                             errorKey([] { tthost::HostSettings::read(*configWith({{"host.route.lisen", "127.0.0.1:1"}})); }));
    }

    void routeSettingsReadEveryKey()
    {
        auto config = configWith({{"route.heartbeat_interval", "250ms"},
                                  {"route.idle_timeout", "3s"},
                                  {"route.max_pdu_bytes", "1M"},
                                  {"route.max_status_query_ids", "500"},
                                  {"route.max_outbox_bytes", "8M"},
                                  {"route.relay.mode", "broadcast"}});
        const auto settings = ttroute::RouteSettings::read(*config->createView("route"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(250), std::int64_t(settings.heartbeatInterval.count()));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(3000), std::int64_t(settings.idleTimeout.count()));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1 << 20), settings.maxPduBytes);
        CPPUNIT_ASSERT_EQUAL(std::size_t(500), settings.maxStatusQueryIds);
        CPPUNIT_ASSERT_EQUAL(std::size_t(8 << 20), settings.maxOutboxBytes);

        const auto defaults = ttroute::RouteSettings::read(*configWith({})->createView("route"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(5000), std::int64_t(defaults.heartbeatInterval.count()));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(30000), std::int64_t(defaults.idleTimeout.count()));
        CPPUNIT_ASSERT_EQUAL(std::size_t(4 << 20), defaults.maxPduBytes);
        CPPUNIT_ASSERT_EQUAL(std::size_t(10000), defaults.maxStatusQueryIds);
    }

    void routeSettingsRejectBadValues()
    {
        const auto keyFor = [](const char* key, const char* value) {
            auto config = configWith({{key, value}});
            return errorKey([&] { ttroute::RouteSettings::read(*config->createView("route")); });
        };
        // The plugin names keys within its own section; the host adds "route.".
        CPPUNIT_ASSERT_EQUAL(std::string("idle_timeout"), keyFor("route.idle_timeout", "soon"));
        CPPUNIT_ASSERT_EQUAL(std::string("heartbeat_interval"), keyFor("route.heartbeat_interval", "0"));
        CPPUNIT_ASSERT_EQUAL(std::string("max_pdu_bytes"), keyFor("route.max_pdu_bytes", "8"));
        CPPUNIT_ASSERT_EQUAL(std::string("max_status_query_ids"), keyFor("route.max_status_query_ids", "-1"));
        CPPUNIT_ASSERT_EQUAL(std::string("relay.mode"), keyFor("route.relay.mode", "multicast"));
        CPPUNIT_ASSERT_EQUAL(std::string("idle_timout"), keyFor("route.idle_timout", "5"));
    }

    void pluginLibraryIsFoundByNameOrPath()
    {
        tttest::TempDir first;
        tttest::TempDir second;
        const std::string library = second.write("libfake.so", "not really a library");
        const std::vector<std::string> dirs{first.path(), second.path()};
        CPPUNIT_ASSERT_EQUAL(library, tthost::locatePluginLibrary("fake", "k", dirs));
        CPPUNIT_ASSERT_EQUAL(library, tthost::locatePluginLibrary("libfake.so", "k", dirs));
        CPPUNIT_ASSERT_EQUAL(library, tthost::locatePluginLibrary(library, "k"));
        std::string problem;
        CPPUNIT_ASSERT_EQUAL(std::string("k"), errorKey([&] { tthost::locatePluginLibrary("missing", "k", dirs); }, &problem));
        CPPUNIT_ASSERT(problem.find("libmissing.so") != std::string::npos);
        CPPUNIT_ASSERT(problem.find(first.path()) != std::string::npos);
        // Last, the plugin's own directory below libtthost's.
        CPPUNIT_ASSERT(problem.find(tthost::hostLibraryDirectory() + "/missing") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::string("k"), errorKey([&] { tthost::locatePluginLibrary("/no/such/libx.so", "k", dirs); }));
    }

    void pluginApiVersionIsCheckedBeforeAnythingElse()
    {
        // The plugin of this build speaks this host's version.
        tthost::checkPluginApi(TTROUTE_PLUGIN_PATH, "k");
        // A plugin built for another version is refused, naming both versions; had the check
        // called into it (its manifest), this test would have aborted.
        std::string problem;
        CPPUNIT_ASSERT_EQUAL(std::string("k"), errorKey([&] { tthost::checkPluginApi(TTROUTE_WRONG_API_PLUGIN_PATH, "k"); }, &problem));
        const std::string versions = "is built for plugin API version " + std::to_string(tthost::kPluginApiVersion + 1) +
                                     "; this host needs version " + std::to_string(tthost::kPluginApiVersion);
        CPPUNIT_ASSERT_MESSAGE(problem, problem.find(versions) != std::string::npos);
        // A library that states no version at all (not a plugin of this contract).
        CPPUNIT_ASSERT_EQUAL(std::string("k"), errorKey([&] { tthost::checkPluginApi(TTHOST_LIBRARY_PATH, "k"); }, &problem));
        CPPUNIT_ASSERT_MESSAGE(problem, problem.find("states no plugin API version") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::string("k"), errorKey([&] { tthost::checkPluginApi("/no/such/libx.so", "k"); }, &problem));
    }

    void loggingErrorsNameTheKey()
    {
        const auto keyFor = [](std::initializer_list<std::pair<const char*, const char*>> entries) {
            auto config = configWith(entries);
            tthost::LogDispatcher dispatcher;
            return errorKey([&] { dispatcher.configure(*config); });
        };
        CPPUNIT_ASSERT_EQUAL(std::string("logging.loggers.root.level"), keyFor({{"logging.loggers.root.level", "loud"}}));
        CPPUNIT_ASSERT_EQUAL(std::string("logging.channels.c.class"), keyFor({{"logging.channels.c.class", "TelegraphChannel"}}));
        CPPUNIT_ASSERT_EQUAL(std::string("logging.formatters.f.class"), keyFor({{"logging.formatters.f.class", "Prettifier"}}));
    }

    void loggingRoutesByLoggerAndLevelAndSwapsWhole()
    {
        Poco::LoggingFactory::defaultFactory().registerChannelClass(
            "CapturingChannel", new Poco::Instantiator<CapturingChannel, Poco::Channel>);
        tthost::LogDispatcher dispatcher;
        dispatcher.configure(*configWith({{"logging.channels.c.class", "CapturingChannel"},
                                          {"logging.loggers.root.channel", "c"},
                                          {"logging.loggers.root.level", "warning"},
                                          {"logging.loggers.r.name", "route"},
                                          {"logging.loggers.r.level", "debug"}}));
        CapturingChannel::clear();
        dispatcher.log(Poco::Message("tthost", "host info", Poco::Message::PRIO_INFORMATION));
        dispatcher.log(Poco::Message("tthost", "host warning", Poco::Message::PRIO_WARNING));
        dispatcher.log(Poco::Message("route", "route debug", Poco::Message::PRIO_DEBUG));
        dispatcher.log(Poco::Message("route.sub", "child debug", Poco::Message::PRIO_DEBUG));
        dispatcher.log(Poco::Message("router", "not a child", Poco::Message::PRIO_DEBUG));
        dispatcher.log(Poco::Message("route", "route trace", Poco::Message::PRIO_TRACE));
        CPPUNIT_ASSERT((std::vector<std::string>{"host warning", "route debug", "child debug"}) == CapturingChannel::texts());

        // A bad configuration changes nothing; a good one replaces the routing whole.
        CPPUNIT_ASSERT_THROW(dispatcher.configure(*configWith({{"logging.loggers.root.level", "loud"}})), ConfigError);
        dispatcher.log(Poco::Message("route", "still debug", Poco::Message::PRIO_DEBUG));
        CPPUNIT_ASSERT_EQUAL(std::string("still debug"), CapturingChannel::texts().back());
        dispatcher.configure(*configWith({{"logging.channels.c.class", "CapturingChannel"}, {"logging.loggers.root.channel", "c"}}));
        CapturingChannel::clear();
        dispatcher.log(Poco::Message("route", "debug now dropped", Poco::Message::PRIO_DEBUG));
        dispatcher.log(Poco::Message("route", "information passes", Poco::Message::PRIO_INFORMATION));
        CPPUNIT_ASSERT((std::vector<std::string>{"information passes"}) == CapturingChannel::texts());
    }

    void unknownSectionsAreRejected()
    {
        std::string problem;
        // A file of tthost's own: every key is the host's, logging's or a plugin's.
        CPPUNIT_ASSERT_EQUAL(std::string("this is not a property"),
                             errorKey([] { tthost::HostSettings::rejectUnknownSections(*configWith({{"this is not a property", ""}})); }, &problem));
        CPPUNIT_ASSERT_EQUAL(std::string("rout.idle_timeout"),
                             errorKey([] { tthost::HostSettings::rejectUnknownSections(*configWith({{"rout.idle_timeout", "5"}})); }));
        tthost::HostSettings::rejectUnknownSections(
            *configWith({{"route.idle_timeout", "5"}, {"logging.loggers.root.level", "debug"}, {"host.drain_timeout", "1"}}));
        // An application's configuration may hold sections of its own: only host.* is the host's.
        tthost::HostSettings::read(*configWith({{"rout.idle_timeout", "5"}, {"echo.listen", "127.0.0.1:0"}}));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ConfigTest);
