#pragma once

#include "config/AllowList.h"
#include "config/RouteSettings.h"

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>

namespace ttroute
{

/// The route settings in force, readable from any thread and replaceable while connections
/// run. Values read on the routing path are atomics, so reading them takes no lock.
class LiveSettings
{
public:
    /// Starts with `settings` in force.
    explicit LiveSettings(const RouteSettings& settings);

    /// Puts `settings` in force; each value takes effect at its next use.
    void update(const RouteSettings& settings);

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
    /// See RouteSettings.
    RelayMode relayMode() const { return relayMode_.load(std::memory_order_relaxed); }
    /// See RouteSettings.
    std::size_t maxConnections() const { return maxConnections_.load(std::memory_order_relaxed); }
    /// See RouteSettings.
    std::size_t maxOnlineUserInfoEntries() const { return maxOnlineUserInfoEntries_.load(std::memory_order_relaxed); }
    /// See RouteSettings; taken under a lock, so only where connections start or settings change.
    std::shared_ptr<const AllowList> allow() const;
    /// See RouteSettings; none: never.
    std::optional<std::chrono::milliseconds> peerLossGrace() const
    {
        const std::int64_t ms = peerLossGraceMs_.load(std::memory_order_relaxed);
        return ms < 0 ? std::nullopt : std::optional(std::chrono::milliseconds(ms));
    }
    /// See RouteSettings.
    bool announceViaMaster() const { return announceViaMaster_.load(std::memory_order_relaxed); }

private:
    std::atomic<std::int64_t> heartbeatMs_;
    std::atomic<std::int64_t> idleTimeoutMs_;
    std::atomic<std::size_t> maxPduBytes_;
    std::atomic<std::size_t> maxStatusQueryIds_;
    std::atomic<std::size_t> maxOutboxBytes_;
    std::atomic<RelayMode> relayMode_;
    std::atomic<std::size_t> maxConnections_;
    std::atomic<std::size_t> maxOnlineUserInfoEntries_;
    std::atomic<std::int64_t> peerLossGraceMs_; ///< -1: never
    std::atomic<bool> announceViaMaster_;
    mutable std::mutex allowMutex_;
    std::shared_ptr<const AllowList> allow_;
};

} // namespace ttroute
