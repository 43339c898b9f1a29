#pragma once

#include "HostSettings.h"
#include "Listener.h"

#include "tthost/ServerPlugin.h"

#include <Poco/ClassLoader.h>
#include <Poco/Logger.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Util/AbstractConfiguration.h>

#include <memory>
#include <string>
#include <vector>

namespace tthost
{

/// One configured plugin, running: its library loaded with Poco::ClassLoader, the plugin
/// object, and one Listener per listen address. Members are declared so that destruction
/// stops the listeners (joining their threads) before the plugin object goes, and the
/// plugin object before its class loader.
class PluginInstance
{
public:
    /// What a configuration change needs, checked and ready: new listen sockets are bound
    /// already, so applying it cannot fail.
    struct Reload
    {
        PluginSettings settings;
        std::vector<std::pair<Poco::Net::SocketAddress, Poco::Net::ServerSocket>> opened; ///< new addresses, bound
        std::vector<std::string> restartKeys; ///< changed keys that only a restart applies
    };

    /// Loads, starts and binds the plugin `settings` describes (a library given by name is
    /// looked up as locatePluginLibrary() does), with its own keys read from `config`'s
    /// section of the same name. Throws ConfigError naming the key for every configuration problem.
    PluginInstance(const PluginSettings& settings, const Poco::Util::AbstractConfiguration& config);
    ~PluginInstance();

    PluginInstance(const PluginInstance&) = delete;
    PluginInstance& operator=(const PluginInstance&) = delete;

    /// Starts accepting on every address.
    void startAccepting();

    /// Checks a new configuration for this instance and binds its new listen addresses,
    /// changing nothing that runs. Throws ConfigError naming the key when it cannot apply.
    Reload prepareReload(const PluginSettings& settings, const Poco::Util::AbstractConfiguration& config) const;

    /// Applies a prepared reload: opens the new addresses, stops accepting on the removed
    /// ones (their connections stay), and hands the plugin its new keys. Returns the keys
    /// that changed but need a restart.
    std::vector<std::string> applyReload(Reload reload, const Poco::Util::AbstractConfiguration& config);

    /// Frees listeners that stopped accepting once their last connection ended, and ends the
    /// connection threads that have been idle for a while; called every second or so. True
    /// when threads ended.
    bool housekeep();

    /// Stops accepting on every address.
    void stopAccepting();

    /// Ends the plugin's connections (flushing for up to `drainTimeout`) and joins their threads.
    void stop(Poco::Timespan drainTimeout);

    /// The instance name, e.g. "route".
    const std::string& name() const { return settings_.name; }

    /// The plugin object.
    ServerPlugin& plugin() { return *plugin_; }

private:
    void openListener(const Poco::Net::SocketAddress& configured, const Poco::Net::ServerSocket& socket);

    PluginSettings settings_;
    Poco::Logger& logger_;
    std::string libraryPath_;
    Poco::ClassLoader<ServerPlugin> loader_;
    std::unique_ptr<ServerPlugin> plugin_;
    std::vector<std::unique_ptr<Listener>> listeners_;
    std::vector<std::unique_ptr<Listener>> retired_; ///< no longer accepting; serving until their connections end
    bool stopped_ = false;
};

} // namespace tthost
