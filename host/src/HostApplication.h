#pragma once

#include "HostSettings.h"
#include "PluginInstance.h"

#include <Poco/AutoPtr.h>
#include <Poco/Util/PropertyFileConfiguration.h>
#include <Poco/Util/ServerApplication.h>

#include <memory>
#include <string>
#include <vector>

namespace tthost
{

/// tthost: reads one properties file, configures logging, loads each configured plugin,
/// serves it on its listen addresses, and stops cleanly on SIGINT or SIGTERM.
class HostApplication : public Poco::Util::ServerApplication
{
public:
    /// The config file used when --config-file is not given.
    static constexpr const char* kDefaultConfigFile = "conf/tthost.properties";

    /// `startDirectory` is the working directory at launch; relative paths given on the
    /// command line are resolved against it, also after --daemon moved us to "/".
    explicit HostApplication(std::string startDirectory);
    ~HostApplication() override;

protected:
    void initialize(Poco::Util::Application& self) override;
    void defineOptions(Poco::Util::OptionSet& options) override;
    int main(const std::vector<std::string>& args) override;

private:
    void handleHelp(const std::string& name, const std::string& value);
    void handleVersion(const std::string& name, const std::string& value);
    void handleConfigFile(const std::string& name, const std::string& value);

    void loadConfiguration();
    void startPlugins();
    int waitForStopSignal();
    void stopPlugins();
    std::vector<std::string> pluginSearchDirs() const;

    std::string startDirectory_;
    std::string configFile_;
    std::string configOrigin_; ///< the file in force, or what stands in for it, for logs
    bool configFileGiven_ = false;
    bool exitAfterOptions_ = false;
    Poco::AutoPtr<Poco::Util::PropertyFileConfiguration> fileConfig_;
    HostSettings settings_;
    std::vector<std::unique_ptr<PluginInstance>> plugins_;
};

} // namespace tthost
