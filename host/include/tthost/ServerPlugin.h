#pragma once

#include <Poco/Logger.h>
#include <Poco/Net/TCPServerConnectionFactory.h>
#include <Poco/Timespan.h>
#include <Poco/Util/AbstractConfiguration.h>

#include <string>

namespace tthost
{

/// The contract between tthost and a protocol plugin loaded with Poco::ClassLoader.
///
/// The host owns listen sockets, threads, configuration files, logging set-up and signals;
/// the plugin owns the protocol. A plugin library exports its implementation with
/// POCO_BEGIN_MANIFEST(tthost::ServerPlugin) / POCO_EXPORT_CLASS(...) / POCO_END_MANIFEST.
/// The host calls start() once, hands connectionFactory() to each TCPServer it runs,
/// and calls stop() once after those servers stopped accepting.
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

    /// Ends every connection, first flushing what is queued for up to `drainTimeout`,
    /// and returns once no connection handler runs any more.
    virtual void stop(Poco::Timespan drainTimeout) = 0;
};

} // namespace tthost
