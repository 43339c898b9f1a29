#pragma once

#include <Poco/Net/SocketAddress.h>
#include <Poco/Timespan.h>
#include <Poco/Util/AbstractConfiguration.h>

#include <optional>
#include <string>
#include <vector>

namespace tthost
{

/// How the host runs one plugin instance: which library and class, where it listens, with how many threads.
struct PluginSettings
{
    std::string name;      ///< instance name; also the section of its own keys ("route" → route.*)
    std::string library;   ///< "ttroute", "libttroute.so" or a path
    std::string className; ///< class exported by the library's manifest
    std::vector<Poco::Net::SocketAddress> listen; ///< one TCPServer per address
    int maxThreads = 0;    ///< connection threads per listen address: at most this many connections each
    int maxQueued = 0;     ///< accepted connections that may wait for a thread before more are refused
    int backlog = 0;       ///< listen() backlog
};

/// The host's own configuration: every key below "host.", validated.
struct HostSettings
{
    std::vector<PluginSettings> plugins;
    Poco::Timespan drainTimeout; ///< how long a stop may spend flushing outbound queues
    std::optional<Poco::Net::SocketAddress> adminListen; ///< the admin HTTP endpoint; none: disabled
    std::string adminToken; ///< what a POST to the admin endpoint must present; empty: none (loopback endpoints only)

    /// Reads and checks the host's keys; throws ConfigError naming the key for a bad or unknown one.
    static HostSettings read(const Poco::Util::AbstractConfiguration& config);

    /// Checks a configuration file of a host that owns its whole file (tthost): read() holds,
    /// and every key belongs to host.*, logging.* or a plugin's section; throws ConfigError
    /// naming the first key that does not.
    static void rejectUnknownSections(const Poco::Util::AbstractConfiguration& file);
};

} // namespace tthost
