#include "LiveSettings.h"

namespace ttroute
{
namespace
{

std::int64_t graceMillis(const RouteSettings& settings)
{
    return settings.peerLossGrace ? settings.peerLossGrace->count() : -1;
}

} // namespace

LiveSettings::LiveSettings(const RouteSettings& settings)
    : heartbeatMs_(settings.heartbeatInterval.count())
    , idleTimeoutMs_(settings.idleTimeout.count())
    , maxPduBytes_(settings.maxPduBytes)
    , maxStatusQueryIds_(settings.maxStatusQueryIds)
    , maxOutboxBytes_(settings.maxOutboxBytes)
    , relayMode_(settings.relayMode)
    , maxConnections_(settings.maxConnections)
    , maxOnlineUserInfoEntries_(settings.maxOnlineUserInfoEntries)
    , peerLossGraceMs_(graceMillis(settings))
    , announceViaMaster_(settings.announceViaMaster)
    , allow_(std::make_shared<const AllowList>(settings.allow))
{
}

std::shared_ptr<const AllowList> LiveSettings::allow() const
{
    std::lock_guard lock(allowMutex_);
    return allow_;
}

void LiveSettings::update(const RouteSettings& settings)
{
    heartbeatMs_.store(settings.heartbeatInterval.count(), std::memory_order_relaxed);
    idleTimeoutMs_.store(settings.idleTimeout.count(), std::memory_order_relaxed);
    maxPduBytes_.store(settings.maxPduBytes, std::memory_order_relaxed);
    maxStatusQueryIds_.store(settings.maxStatusQueryIds, std::memory_order_relaxed);
    maxOutboxBytes_.store(settings.maxOutboxBytes, std::memory_order_relaxed);
    relayMode_.store(settings.relayMode, std::memory_order_relaxed);
    maxConnections_.store(settings.maxConnections, std::memory_order_relaxed);
    maxOnlineUserInfoEntries_.store(settings.maxOnlineUserInfoEntries, std::memory_order_relaxed);
    peerLossGraceMs_.store(graceMillis(settings), std::memory_order_relaxed);
    announceViaMaster_.store(settings.announceViaMaster, std::memory_order_relaxed);
    auto allow = std::make_shared<const AllowList>(settings.allow);
    std::lock_guard lock(allowMutex_);
    allow_ = std::move(allow);
}

} // namespace ttroute
