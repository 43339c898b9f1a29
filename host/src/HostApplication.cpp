#include "HostApplication.h"


#include "tthost/ConfigError.h"
#include "tthost/ConfigReader.h"
#include "tthost/MetricsWriter.h"

#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/Path.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/MapConfiguration.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionCallback.h>

#include <csignal>
#include <cstring>
#include <ctime>
#include <iostream>

namespace tthost
{
namespace
{

/// How often the configuration file is checked for changes.
constexpr int kConfigPollSeconds = 1;

/// "key: old → new; key2: (unset) → value" for every key whose value differs.
std::string describeChanges(const Poco::Util::AbstractConfiguration& before, const Poco::Util::AbstractConfiguration& after)
{
    const auto old = flattenConfig(before);
    const auto next = flattenConfig(after);
    std::string changes;
    auto add = [&](const std::string& key, const std::string& from, const std::string& to) {
        changes += (changes.empty() ? "" : "; ") + key + ": " + from + " -> " + to;
    };
    for (const auto& [key, value] : next)
    {
        const auto found = old.find(key);
        if (found == old.end())
            add(key, "(unset)", value);
        else if (found->second != value)
            add(key, found->second, value);
    }
    for (const auto& [key, value] : old)
        if (next.count(key) == 0)
            add(key, value, "(unset)");
    return changes;
}

} // namespace

HostApplication::HostApplication(std::string startDirectory, Daemon* daemon)
    : startDirectory_(std::move(startDirectory))
    , daemon_(daemon)
{
}

HostApplication::~HostApplication() = default;

sigset_t HostApplication::handledSignals()
{
    sigset_t signals;
    sigemptyset(&signals);
    for (int signal : {SIGINT, SIGTERM, SIGQUIT, SIGHUP})
        sigaddset(&signals, signal);
    return signals;
}

void HostApplication::initialize(Poco::Util::Application& self)
{
    ServerApplication::initialize(self);
    logging_ = Poco::makeAuto<LogDispatcher>();
    LogDispatcher::install(logging_);
    setLogger(Poco::Logger::get("tthost"));
    errorHandler_ = std::make_unique<LoggingErrorHandler>(logger());
}

void HostApplication::defineOptions(Poco::Util::OptionSet& options)
{
    ServerApplication::defineOptions(options);
    options.addOption(Poco::Util::Option("help", "h", "print this help and exit")
                          .required(false)
                          .repeatable(false)
                          .callback(Poco::Util::OptionCallback<HostApplication>(this, &HostApplication::handleHelp)));
    options.addOption(Poco::Util::Option("version", "v", "print the version and exit")
                          .required(false)
                          .repeatable(false)
                          .callback(Poco::Util::OptionCallback<HostApplication>(this, &HostApplication::handleVersion)));
    options.addOption(Poco::Util::Option("config-file", "c", std::string("read configuration from FILE (default ") + kDefaultConfigFile + ")")
                          .required(false)
                          .repeatable(false)
                          .argument("FILE")
                          .callback(Poco::Util::OptionCallback<HostApplication>(this, &HostApplication::handleConfigFile)));
}

void HostApplication::handleHelp(const std::string&, const std::string&)
{
    Poco::Util::HelpFormatter help(options());
    help.setCommand(commandName());
    help.setUsage("[--config-file=FILE] [--daemon] [--pidfile=FILE]");
    help.setHeader("tthost: serves TeamTalk route-server plugins (ttroute) configured in one properties file "
                   "(or an original routeserver.conf). The file is re-read when it changes and on SIGHUP.");
    help.setFooter("Exit status 78 means the configuration is unusable; the message names the key.");
    help.format(std::cout);
    exitAfterOptions_ = true;
    stopOptionsProcessing();
}

void HostApplication::handleVersion(const std::string&, const std::string&)
{
    std::cout << "tthost " << TTROUTE_VERSION << std::endl;
    exitAfterOptions_ = true;
    stopOptionsProcessing();
}

void HostApplication::handleConfigFile(const std::string&, const std::string& value)
{
    configPath_ = value;
    configFileGiven_ = true;
}

int HostApplication::main(const std::vector<std::string>&)
{
    if (exitAfterOptions_)
        return EXIT_OK;
    Poco::Path path(configFileGiven_ ? configPath_ : kDefaultConfigFile);
    path.makeAbsolute(Poco::Path::forDirectory(startDirectory_));
    configPath_ = path.toString();
    try
    {
        config_ = readConfiguration(true);
        logging_->configure(*config_);
        settings_ = HostSettings::read(*config_);
        startPlugins();
    }
    catch (const ConfigError& error)
    {
        plugins_.clear();
        reportStartFailure(EXIT_CONFIG, std::string("tthost: configuration error: ") + error.what());
        return EXIT_CONFIG;
    }
    catch (const std::exception& error)
    {
        plugins_.clear();
        reportStartFailure(EXIT_SOFTWARE, std::string("tthost: cannot start: ") + error.what());
        return EXIT_SOFTWARE;
    }
    if (daemon_)
        daemon_->ready();
    const int signal = serveUntilStopSignal();
    logger().information(std::string("received ") + ::strsignal(signal) + ", stopping");
    stopPlugins();
    logger().information("stopped");
    return EXIT_OK;
}

void HostApplication::reportStartFailure(int status, const std::string& line)
{
    if (daemon_)
        daemon_->failed(status, line + "\n");
    else
        std::cerr << line << std::endl;
}

Poco::AutoPtr<Poco::Util::AbstractConfiguration> HostApplication::readConfiguration(bool starting)
{
    configStamp_ = FileStamp::of(configPath_);
    if (configStamp_.size >= 0)
        return loadConfigFile(configPath_);
    // Only a start without --config-file may fall back on the defaults; a file that
    // disappears while running is an operator's slip, not a wish to reset everything.
    if (starting && !configFileGiven_)
        return Poco::makeAuto<Poco::Util::MapConfiguration>();
    throw ConfigError("--config-file", "'" + configPath_ + "' does not exist");
}

std::vector<std::string> HostApplication::pluginSearchDirs() const
{
    const std::string exeDir = config().getString("application.dir");
    // Next to tthost (the build tree), ../lib after `cmake --install`, then the build's
    // plugin directory, so a build tree's tthost finds its plugin from any working directory.
    return {exeDir, Poco::Path(exeDir).parent().pushDirectory(TTHOST_INSTALL_LIBDIR).toString(), TTHOST_BUILD_PLUGIN_DIR};
}

void HostApplication::startPlugins()
{
    const auto searchDirs = pluginSearchDirs();
    for (const PluginSettings& plugin : settings_.plugins)
        plugins_.push_back(std::make_unique<PluginInstance>(plugin, *config_, searchDirs));
    auto admin = makeAdmin(settings_);
    // Logged only now, so a configuration error is the only line tthost prints.
    logger().information("configuration from " + (configStamp_.size < 0 ? "built-in defaults (no " + configPath_ + ")" : configPath_));
    for (auto& plugin : plugins_)
        plugin->startAccepting();
    installAdmin(std::move(admin));
    ready_ = true;
}

std::unique_ptr<AdminServer> HostApplication::makeAdmin(const HostSettings& settings)
{
    if (!settings.adminListen)
        return nullptr;
    // Bound and built, not started: a reload rejected after this point leaves no trace.
    try
    {
        return std::make_unique<AdminServer>(bindListenSocket(*settings.adminListen, 16),
                                             [this](const AdminRequest& request, AdminResponse& response) { answerAdmin(request, response); });
    }
    catch (const Poco::Exception& error)
    {
        throw ConfigError("host.admin.listen", "cannot listen on " + settings.adminListen->toString() + ": " + error.displayText());
    }
}

void HostApplication::installAdmin(std::unique_ptr<AdminServer> next)
{
    // The new endpoint is up before the old one goes.
    if (next)
    {
        next->start();
        logger().information("admin endpoint at http://" + next->address().toString() + "/");
    }
    else if (admin_)
        logger().information("admin endpoint closed");
    admin_ = std::move(next);
}

void HostApplication::answerAdmin(const AdminRequest& request, AdminResponse& response)
{
    try
    {
        if (request.path == "/metrics")
        {
            MetricsWriter metrics;
            metrics.family("tthost_uptime_seconds", MetricsWriter::Type::Gauge, "Seconds since tthost started.");
            metrics.sample(std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count());
            metrics.family("tthost_ready", MetricsWriter::Type::Gauge, "1 while tthost serves; 0 while starting or draining.");
            metrics.sample(ready_ ? 1 : 0);
            metrics.family("tthost_config_reloads_total", MetricsWriter::Type::Counter, "Configuration reloads, by result.");
            metrics.sample(static_cast<double>(reloadsApplied_.load()), {{"result", "applied"}});
            metrics.sample(static_cast<double>(reloadsUnchanged_.load()), {{"result", "unchanged"}});
            metrics.sample(static_cast<double>(reloadsRejected_.load()), {{"result", "rejected"}});
            for (auto& plugin : plugins_)
                plugin->plugin().writeMetrics(metrics);
            response.contentType = MetricsWriter::kContentType;
            response.body = metrics.text();
            return;
        }
        if (request.path == "/healthz")
        {
            response.body = R"({"status":"alive"})";
            return;
        }
        if (request.path == "/readyz")
        {
            response.status = ready_ ? 200 : 503;
            response.body = ready_ ? R"({"status":"ready"})" : R"({"status":"not ready"})";
            return;
        }
        for (auto& plugin : plugins_)
            if (plugin->plugin().handleAdminGet(request, response))
                return;
        response.status = 404;
        response.body = R"({"error":"no such endpoint; try /metrics, /healthz, /readyz, /peers, /presence?user=ID"})";
    }
    catch (const std::exception& error)
    {
        logger().error(std::string("admin request ") + request.path + " failed: " + error.what());
        response.status = 500;
        response.contentType = "application/json";
        response.body = R"({"error":"internal error, see the log"})";
    }
}

int HostApplication::serveUntilStopSignal()
{
    const sigset_t signals = handledSignals();
    for (;;)
    {
        const timespec wait{kConfigPollSeconds, 0};
        const int signal = sigtimedwait(&signals, nullptr, &wait);
        if (signal == SIGHUP)
            reload("on SIGHUP");
        else if (signal > 0)
            return signal;
        else if (FileStamp::of(configPath_) != configStamp_)
            reload("after " + configPath_ + " changed");
        for (auto& plugin : plugins_)
            plugin->reapRetiredListeners();
    }
}

void HostApplication::reload(const std::string& trigger)
{
    try
    {
        auto next = readConfiguration(false);
        const HostSettings nextSettings = HostSettings::read(*next);
        std::vector<std::string> restartKeys;
        if (nextSettings.plugins.size() != settings_.plugins.size() ||
            !std::equal(nextSettings.plugins.begin(), nextSettings.plugins.end(), settings_.plugins.begin(),
                        [](const auto& a, const auto& b) { return a.name == b.name; }))
            restartKeys.push_back("host.plugins");

        // Check everything before changing anything: a reload applies whole or not at all.
        std::vector<PluginInstance::Reload> prepared;
        const auto searchDirs = pluginSearchDirs();
        for (const auto& plugin : plugins_)
        {
            const auto wanted = std::find_if(nextSettings.plugins.begin(), nextSettings.plugins.end(),
                                             [&](const auto& p) { return p.name == plugin->name(); });
            // An instance dropped from host.plugins keeps running until a restart, on its old settings.
            const PluginSettings& settings = wanted != nextSettings.plugins.end() ? *wanted
                                             : *std::find_if(settings_.plugins.begin(), settings_.plugins.end(),
                                                             [&](const auto& p) { return p.name == plugin->name(); });
            prepared.push_back(plugin->prepareReload(settings, *next, searchDirs));
        }
        const bool adminMoved = nextSettings.adminListen != settings_.adminListen;
        auto admin = adminMoved ? makeAdmin(nextSettings) : nullptr;
        logging_->configure(*next); // the last check: changes nothing when it throws

        for (std::size_t i = 0; i < plugins_.size(); ++i)
            for (std::string& key : plugins_[i]->applyReload(std::move(prepared[i]), *next))
                restartKeys.push_back(std::move(key));
        if (adminMoved)
            installAdmin(std::move(admin));
        const std::string changes = describeChanges(*config_, *next);
        settings_.drainTimeout = nextSettings.drainTimeout;
        settings_.adminListen = nextSettings.adminListen;
        config_ = next;

        if (changes.empty())
        {
            ++reloadsUnchanged_;
            logger().information("configuration re-read " + trigger + ": no value changed");
            return;
        }
        ++reloadsApplied_;
        std::string line = "configuration reloaded " + trigger + ": " + changes;
        if (!restartKeys.empty())
        {
            std::string keys;
            for (const auto& key : restartKeys)
                keys += (keys.empty() ? "" : ", ") + key;
            line += " [needs a restart, ignored until then: " + keys + "]";
        }
        logger().information(line);
    }
    catch (const ConfigError& error)
    {
        ++reloadsRejected_;
        logger().error("configuration reload " + trigger + " rejected, the running configuration stays in force: " + error.what());
    }
}

void HostApplication::stopPlugins()
{
    ready_ = false; // GET /readyz answers 503 while the connections drain
    for (auto& plugin : plugins_)
        plugin->stopAccepting();
    for (auto& plugin : plugins_)
        plugin->stop(settings_.drainTimeout);
    admin_.reset();
    plugins_.clear();
}

} // namespace tthost
