#include "HostApplication.h"

#include "ConfigFile.h"
#include "HostSettings.h"
#include "LoggingSubsystem.h"

#include "tthost/AdminSubsystem.h"
#include "tthost/ConfigError.h"

#include <Poco/File.h>
#include <Poco/Path.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionCallback.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <iostream>
#include <sys/resource.h>

namespace tthost
{
namespace
{

/// How often the configuration file is checked for changes.
constexpr int kConfigPollSeconds = 1;

/// Raises the soft limit on open files as far as the hard limit allows: every connection
/// holds descriptors, and the default soft limit (1024) would hold a few hundred. Returns a
/// line for the log saying what the limit is now.
std::string raiseOpenFileLimit()
{
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return std::string("open-file limit unknown: ") + std::strerror(errno);
    const rlim_t before = limit.rlim_cur;
    limit.rlim_cur = limit.rlim_max;
    if (before == limit.rlim_max || ::setrlimit(RLIMIT_NOFILE, &limit) != 0)
        return "open-file limit " + std::to_string(before);
    return "open-file limit raised from " + std::to_string(before) + " to " + std::to_string(limit.rlim_cur);
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
    if (exitAfterOptions_)
        return;
    // Poco's initialize() names the application's logger after this key.
    config().setString("application.logger", "tthost");
    setLogger(Poco::Logger::get("tthost"));
    Poco::Path path(configFileGiven_ ? configPath_ : kDefaultConfigFile);
    path.makeAbsolute(Poco::Path::forDirectory(startDirectory_));
    configPath_ = path.toString();
    fileLimit_ = raiseOpenFileLimit(); // before the plugins check what it holds
    // The file must stand on its own: every key is the host's, logging's or a plugin's.
    watcher_ = std::make_unique<ConfigFileWatcher>(*this, configPath_, loadConfigFile, HostSettings::rejectUnknownSections);
    try
    {
        addSubsystem(new LoggingSubsystem);
        errorHandler_ = std::make_unique<LoggingErrorHandler>(logger());
        // Only a start without --config-file may fall back on the defaults; a file that
        // disappears while running is an operator's slip, not a wish to reset everything.
        watcher_->load(!configFileGiven_);
        plugins_ = new PluginSubsystem(PluginSubsystem::Start::WhenTold);
        addSubsystem(plugins_);
        addSubsystem(new AdminSubsystem(watcher_.get()));
        ServerApplication::initialize(self);
    }
    catch (const ConfigError& error)
    {
        startStatus_ = EXIT_CONFIG;
        startFailure_ = std::string("tthost: configuration error: ") + error.what();
    }
    catch (const std::exception& error)
    {
        startStatus_ = EXIT_SOFTWARE;
        startFailure_ = std::string("tthost: cannot start: ") + error.what();
    }
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
    if (startStatus_ != EXIT_OK)
    {
        reportStartFailure(startStatus_, startFailure_);
        return startStatus_;
    }
    // Logged only now, so a configuration error is the only line tthost prints.
    logger().information("configuration from " + (Poco::File(configPath_).exists() ? configPath_ : "built-in defaults (no " + configPath_ + ")") +
                         "; " + fileLimit_);
    plugins_->startAccepting();
    if (daemon_)
        daemon_->ready();
    const int signal = serveUntilStopSignal();
    logger().information(std::string("received ") + ::strsignal(signal) + ", stopping");
    watcher_->close(); // no reload (POST /reload) while the subsystems go
    // Drained while the admin endpoint still answers (GET /readyz: 503), which goes next.
    plugins_->stop();
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

int HostApplication::serveUntilStopSignal()
{
    const sigset_t signals = handledSignals();
    for (;;)
    {
        const timespec wait{kConfigPollSeconds, 0};
        const int signal = sigtimedwait(&signals, nullptr, &wait);
        if (signal == SIGHUP)
            watcher_->reload("on SIGHUP");
        else if (signal > 0)
            return signal;
        else
            watcher_->reloadIfChanged();
    }
}

} // namespace tthost
