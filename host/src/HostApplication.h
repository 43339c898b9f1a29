#pragma once

#include "AdminServer.h"
#include "ConfigFile.h"
#include "Daemon.h"
#include "HostSettings.h"
#include "LogDispatcher.h"
#include "LoggingErrorHandler.h"
#include "PluginInstance.h"

#include <Poco/AutoPtr.h>
#include <Poco/Util/AbstractConfiguration.h>
#include <Poco/Util/ServerApplication.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <memory>
#include <string>
#include <vector>

namespace tthost
{

/// tthost: reads one properties file, configures logging, loads each configured plugin,
/// serves it on its listen addresses, re-reads the file when it changes or on SIGHUP, and
/// stops cleanly on SIGINT, SIGTERM or SIGQUIT.
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

    Poco::AutoPtr<Poco::Util::AbstractConfiguration> readConfiguration(bool starting);
    void startPlugins();
    int serveUntilStopSignal();
    void reload(const std::string& trigger);
    void stopPlugins();
    std::vector<std::string> pluginSearchDirs() const;

    void reportStartFailure(int status, const std::string& line);
    std::unique_ptr<AdminServer> makeAdmin(const HostSettings& settings);
    void installAdmin(std::unique_ptr<AdminServer> next);
    void answerAdmin(const AdminRequest& request, AdminResponse& response);

    std::string startDirectory_;
    Daemon* daemon_;
    std::string configPath_;       ///< absolute
    bool configFileGiven_ = false;
    bool exitAfterOptions_ = false;
    FileStamp configStamp_;        ///< of the file when it was last read
    Poco::AutoPtr<Poco::Util::AbstractConfiguration> config_; ///< the configuration in force
    HostSettings settings_;        ///< what of it the host uses
    Poco::AutoPtr<LogDispatcher> logging_;
    std::unique_ptr<LoggingErrorHandler> errorHandler_; ///< declared before plugins_: outlives their threads
    std::vector<std::unique_ptr<PluginInstance>> plugins_;
    std::unique_ptr<AdminServer> admin_; ///< declared after plugins_: gone before them, as it asks them

    const std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
    std::atomic<bool> ready_{false}; ///< serving, not draining: GET /readyz
    std::atomic<std::uint64_t> reloadsApplied_{0};
    std::atomic<std::uint64_t> reloadsUnchanged_{0};
    std::atomic<std::uint64_t> reloadsRejected_{0};
};

} // namespace tthost
