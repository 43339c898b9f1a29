#pragma once

#include <Poco/Util/AbstractConfiguration.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>

namespace ttroute
{

/// How one-to-one traffic is relayed (protocol.md §6).
enum class RelayMode
{
    Broadcast, ///< to every other connection, as the original does
};

/// The route plugin's configuration, validated: every key below "route." in tthost.properties.
struct RouteSettings
{
    std::chrono::milliseconds heartbeatInterval{5000};  ///< send HEARTBEAT after this long without sending
    std::chrono::milliseconds idleTimeout{30000};       ///< close after this long without receiving
    std::size_t maxPduBytes = 4 * 1024 * 1024;          ///< largest frame accepted, header included
    std::size_t maxStatusQueryIds = 10000;              ///< ids answered per USERS_STATUS_REQUEST
    std::size_t maxOutboxBytes = 64 * 1024 * 1024;      ///< queued bytes at which a peer is dropped
    RelayMode relayMode = RelayMode::Broadcast;

    /// Reads and checks the plugin's keys from `config` (keys relative to the plugin's
    /// section); throws tthost::ConfigError naming the key for a bad or unknown one.
    static RouteSettings read(const Poco::Util::AbstractConfiguration& config);
};

/// The settings in force, readable from any thread without a lock and replaceable live.
class LiveSettings
{
public:
    /// Starts with `settings` in force.
    explicit LiveSettings(const RouteSettings& settings);

    /// See RouteSettings.
    std::chrono::milliseconds heartbeatInterval() const { return std::chrono::milliseconds(heartbeatMs_.load(std::memory_order_relaxed)); }
    /// See RouteSettings.
    std::chrono::milliseconds idleTimeout() const { return std::chrono::milliseconds(idleTimeoutMs_.load(std::memory_order_relaxed)); }
    /// See RouteSettings.
    std::size_t maxPduBytes() const { return maxPduBytes_.load(std::memory_order_relaxed); }
    /// See RouteSettings.
    std::size_t maxStatusQueryIds() const { return maxStatusQueryIds_.load(std::memory_order_relaxed); }
    /// See RouteSettings.
    std::size_t maxOutboxBytes() const { return maxOutboxBytes_.load(std::memory_order_relaxed); }

private:
    std::atomic<std::int64_t> heartbeatMs_;
    std::atomic<std::int64_t> idleTimeoutMs_;
    std::atomic<std::size_t> maxPduBytes_;
    std::atomic<std::size_t> maxStatusQueryIds_;
    std::atomic<std::size_t> maxOutboxBytes_;
};

} // namespace ttroute
