#include "HostApplication.h"

#include "LoggingSetup.h"

#include "tthost/ConfigError.h"

#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/Path.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionCallback.h>

#include <csignal>
#include <cstring>
#include <iostream>

namespace tthost
{

HostApplication::HostApplication(std::string startDirectory)
    : startDirectory_(std::move(startDirectory))
    , configFile_(kDefaultConfigFile)
{
}

HostApplication::~HostApplication() = default;

void HostApplication::initialize(Poco::Util::Application& self)
{
    ServerApplication::initialize(self);
    setLogger(Poco::Logger::get("tthost"));
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
    help.setHeader("tthost: serves TeamTalk route-server plugins (ttroute) configured in one properties file.");
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
    configFile_ = value;
    configFileGiven_ = true;
}

int HostApplication::main(const std::vector<std::string>&)
{
    if (exitAfterOptions_)
        return EXIT_OK;
    try
    {
        loadConfiguration();
        startPlugins();
    }
    catch (const ConfigError& error)
    {
        std::cerr << "tthost: configuration error: " << error.what() << std::endl;
        plugins_.clear();
        return EXIT_CONFIG;
    }
    const int signal = waitForStopSignal();
    logger().information(std::string("received ") + ::strsignal(signal) + ", stopping");
    stopPlugins();
    logger().information("stopped");
    return EXIT_OK;
}

void HostApplication::loadConfiguration()
{
    Poco::Path path(configFile_);
    path.makeAbsolute(Poco::Path::forDirectory(startDirectory_));
    const std::string file = path.toString();
    if (!Poco::File(file).exists())
    {
        if (configFileGiven_)
            throw ConfigError("--config-file", "'" + file + "' does not exist");
        fileConfig_ = new Poco::Util::PropertyFileConfiguration;
        configOrigin_ = "built-in defaults (no " + file + ")";
    }
    else
    {
        try
        {
            fileConfig_ = new Poco::Util::PropertyFileConfiguration(file);
        }
        catch (const Poco::Exception& error)
        {
            throw ConfigError("--config-file", "cannot read '" + file + "': " + error.displayText());
        }
        configOrigin_ = file;
    }
    configureLogging(fileConfig_);
    settings_ = HostSettings::read(*fileConfig_);
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
        plugins_.push_back(std::make_unique<PluginInstance>(plugin, *fileConfig_, searchDirs));
    // Logged only now, so a configuration error is the only line tthost prints.
    logger().information("configuration from " + configOrigin_);
    for (auto& plugin : plugins_)
        plugin->startAccepting();
}

int HostApplication::waitForStopSignal()
{
    // main() blocked these signals before any thread started, so they wait for us here.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGQUIT);
    int signal = 0;
    while (sigwait(&signals, &signal) != 0)
    {
    }
    return signal;
}

void HostApplication::stopPlugins()
{
    for (auto& plugin : plugins_)
        plugin->stopAccepting();
    for (auto& plugin : plugins_)
        plugin->stop(settings_.drainTimeout);
    plugins_.clear();
}

} // namespace tthost
