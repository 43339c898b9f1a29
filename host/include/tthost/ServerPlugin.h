#pragma once

#include "tthost/AdminRequest.h"
#include "tthost/MetricsWriter.h"

#include <Poco/Logger.h>
#include <Poco/Net/TCPServer.h>
#include <Poco/Net/TCPServerConnectionFactory.h>
#include <Poco/Timespan.h>
#include <Poco/Util/AbstractConfiguration.h>

#include <string>
#include <vector>

namespace tthost
{

/// The version of this contract: of ServerPlugin and of the types it passes. It changes
/// whenever they change incompatibly. A plugin library states the version it was built
/// against with TTHOST_EXPORT_PLUGIN_API(); a host refuses a library of another version
/// (checkPluginApi(), PluginLibrary.h) before calling anything else in it.
constexpr int kPluginApiVersion = 1;

/// The name under which a plugin library exports its API version.
constexpr const char* kPluginApiSymbol = "tthostPluginApiVersion";

/// The contract between a host (tthost, or any application using PluginSubsystem) and a
/// protocol plugin loaded with Poco::ClassLoader.
///
/// The host owns listen sockets, threads, configuration files, logging set-up and signals;
/// the plugin owns the protocol. A plugin library exports its implementation with
/// POCO_BEGIN_MANIFEST(tthost::ServerPlugin) / POCO_EXPORT_CLASS(...) / POCO_END_MANIFEST,
/// and its API version with TTHOST_EXPORT_PLUGIN_API(). The host calls start() once, hands
/// connectionFactory() and connectionFilter() to each TCPServer it runs, calls validate()
/// then reconfigure() when the configuration changes, and calls stop() once after those
/// servers stopped accepting. All calls but those to the factory and filter, writeMetrics()
/// and handleAdmin() come from one thread at a time (the application's main thread, or the
/// thread of a reload: the ConfigFileWatcher's, an admin request's).
class ServerPlugin
{
public:
    virtual ~ServerPlugin() = default;

    /// Short name of the plugin for logs, e.g. "ttroute".
    virtual std::string name() const = 0;

    /// Version of the plugin for logs and --version.
    virtual std::string version() const = 0;

    /// Validates the plugin's own configuration subtree and gets ready to serve.
    /// Throws tthost::ConfigError naming the key for a bad value.
    virtual void start(const Poco::Util::AbstractConfiguration& config, Poco::Logger& logger) = 0;

    /// The factory the host hands to every Poco::Net::TCPServer it runs for this plugin.
    virtual Poco::Net::TCPServerConnectionFactory::Ptr connectionFactory() = 0;

    /// Decides at accept time whether a connection is served at all (e.g. an allowlist);
    /// null when every connection is. Called from the TCPServers' acceptor threads.
    virtual Poco::Net::TCPServerConnectionFilter::Ptr connectionFilter() = 0;

    /// The most connections the plugin serves at once with the settings in force (each holds
    /// one of the host's connection threads), for the host's start-up line and capacity checks.
    virtual std::size_t maxConnections() const = 0;

    /// Checks `config` as start() would, applying nothing; throws tthost::ConfigError naming the key.
    virtual void validate(const Poco::Util::AbstractConfiguration& config) const = 0;

    /// Puts a configuration that passed validate() in force without dropping connections.
    /// Returns the keys (within the plugin's section) that changed but take effect only after a restart.
    virtual std::vector<std::string> reconfigure(const Poco::Util::AbstractConfiguration& config) = 0;

    /// Appends the plugin's metrics to `metrics` (GET /metrics); called from the admin
    /// endpoint's threads, so it must not block routing.
    virtual void writeMetrics(MetricsWriter& metrics) = 0;

    /// Answers an admin request (a GET, or a POST the host allowed) that the host does not
    /// answer itself; false when `request.path` is not one of the plugin's. Called from the
    /// admin endpoint's threads; a streamed answer (AdminResponse::stream) holds one of them.
    virtual bool handleAdmin(const AdminRequest& request, AdminResponse& response) = 0;

    /// Ends every connection, first flushing what is queued for up to `drainTimeout`, and
    /// returns once the connections are closed or a little after that timeout. Handler
    /// threads may still be finishing: the host joins them before destroying the plugin.
    virtual void stop(Poco::Timespan drainTimeout) = 0;
};

} // namespace tthost

/// Put once in a plugin library, next to its Poco manifest: exports the plugin API version
/// the library is built against (tthost::kPluginApiVersion of the headers it includes).
#define TTHOST_EXPORT_PLUGIN_API()                                                                                          \
    extern "C" __attribute__((visibility("default"))) int tthostPluginApiVersion() { return tthost::kPluginApiVersion; }
