#pragma once

#include "config/AllowList.h"

#include <Poco/Util/AbstractConfiguration.h>

#include <chrono>
#include <cstddef>
#include <optional>

namespace ttroute
{

/// How one-to-one traffic is relayed (protocol.md §6).
enum class RelayMode
{
    Broadcast, ///< to every other connection, as the original does
    Targeted,  ///< only to the connections that host its users
};

/// The route plugin's configuration, validated: every key below "route." in tthost.properties.
struct RouteSettings
{
    std::chrono::milliseconds heartbeatInterval{5000};  ///< send HEARTBEAT after this long without sending
    std::chrono::milliseconds idleTimeout{30000};       ///< close after this long without receiving
    std::size_t maxPduBytes = 4 * 1024 * 1024;          ///< largest frame accepted, header included
    std::size_t maxStatusQueryIds = 10000;              ///< ids answered per USERS_STATUS_REQUEST
    std::size_t maxOutboxBytes = 64 * 1024 * 1024;      ///< queued bytes at which a peer is dropped
    std::size_t maxConnections = 4000;                  ///< connections served at once; past it, see RouteService::admit()
    std::size_t maxOnlineUserInfoEntries = 500000;      ///< entries per ONLINE_USER_INFO; a longer one is dropped
    RelayMode relayMode = RelayMode::Broadcast;         ///< where one-to-one PDUs go
    AllowList allow;                                    ///< who may connect; empty: everyone
    /// How long the offline announcement of a lost connection's users waits for them to come
    /// back (protocol.md §7); none: never announced, as the original. The default outlasts a
    /// stock msg server's first two reconnect attempts (about 3.5 s and 11.5 s after it
    /// notices the loss, which may be 5 s after we do).
    std::optional<std::chrono::milliseconds> peerLossGrace{std::chrono::milliseconds(20000)};
    /// Announce status changes only from msg servers that call this route server their
    /// master (ROLE_SET), so that with several route servers each arrives once (protocol.md §8).
    bool announceViaMaster = false;

    /// Reads and checks the plugin's keys from `config` (keys relative to the plugin's
    /// section); throws tthost::ConfigError naming the key for a bad or unknown one.
    static RouteSettings read(const Poco::Util::AbstractConfiguration& config);
};

} // namespace ttroute
