#pragma once

#include "Daemon.h"
#include "LoggingErrorHandler.h"

#include "tthost/ConfigFileWatcher.h"
#include "tthost/PluginSubsystem.h"

#include <Poco/Util/ServerApplication.h>

#include <csignal>
#include <memory>
#include <string>
#include <vector>

namespace tthost
{

/// tthost: a thin Poco ServerApplication over the tthost library. It reads one properties
/// file (or an original routeserver.conf), and runs its logging, the plugins (PluginSubsystem)
/// and the admin endpoint (AdminSubsystem) as subsystems; it re-reads the file when it
/// changes or on SIGHUP (ConfigFileWatcher), and stops cleanly on SIGINT, SIGTERM or SIGQUIT,
/// draining the connections while the admin endpoint still answers.
class HostApplication : public Poco::Util::ServerApplication
{
public:
    /// The config file used when --config-file is not given.
    static constexpr const char* kDefaultConfigFile = "conf/tthost.properties";

    /// `startDirectory` is the working directory at launch, against which relative paths
    /// given on the command line are resolved; `daemon` (may be null) is told how start-up went.
    HostApplication(std::string startDirectory, Daemon* daemon);
    ~HostApplication() override;

    /// The signals tthost acts on (SIGINT, SIGTERM, SIGQUIT stop; SIGHUP reloads). main()
    /// blocks them before any thread starts, so the main thread alone takes them.
    static sigset_t handledSignals();

protected:
    void initialize(Poco::Util::Application& self) override;
    void defineOptions(Poco::Util::OptionSet& options) override;
    int main(const std::vector<std::string>& args) override;

private:
    void handleHelp(const std::string& name, const std::string& value);
    void handleVersion(const std::string& name, const std::string& value);
    void handleConfigFile(const std::string& name, const std::string& value);

    int serveUntilStopSignal();
    void reportStartFailure(int status, const std::string& line);

    std::string startDirectory_;
    Daemon* daemon_;
    std::string configPath_;
    bool configFileGiven_ = false;
    bool exitAfterOptions_ = false;
    int startStatus_ = EXIT_OK;   ///< what initialize() found
    std::string startFailure_;    ///< its one-line message when that is not EXIT_OK
    std::string fileLimit_;       ///< what raising the open-file limit came to, for the log
    std::unique_ptr<ConfigFileWatcher> watcher_; ///< declared before the subsystems' users: outlives the admin endpoint
    std::unique_ptr<LoggingErrorHandler> errorHandler_;
    PluginSubsystem* plugins_ = nullptr; ///< owned by the application, as every subsystem
};

} // namespace tthost
