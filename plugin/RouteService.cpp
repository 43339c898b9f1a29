#include "RouteService.h"

#include "IM.Other.pb.h"
#include "ProtocolIds.h"

namespace ttroute
{
namespace
{

SharedBytes buildHeartbeatFrame()
{
    std::string frame;
    appendFrame(frame, ServiceId::Other, CommandId::Heartbeat, 0, IM::Other::IMHeartBeat());
    return std::make_shared<const std::string>(std::move(frame));
}

} // namespace

RouteService::RouteService(const RouteSettings& settings, Poco::Logger& logger)
    : settings_(settings)
    , logger_(logger)
    , router_(presence_, peers_, settings_, counters_, logger_)
    , heartbeatFrame_(buildHeartbeatFrame())
{
}

bool RouteService::admit(const std::shared_ptr<Peer>& peer)
{
    std::lock_guard lock(mutex_);
    // Checked under the lock stop() takes, so stop() sees every admitted peer in the directory.
    if (stopping_.load())
        return false;
    router_.attach(peer);
    ++admitted_;
    return true;
}

void RouteService::retire(Peer& peer)
{
    router_.detach(peer, !stopping_.load());
    peer.outbox().close();
    std::lock_guard lock(mutex_);
    --admitted_;
    retired_.notify_all();
}

std::chrono::steady_clock::time_point RouteService::drainDeadline() const
{
    return std::chrono::steady_clock::time_point(std::chrono::steady_clock::duration(drainDeadlineNs_.load()));
}

void RouteService::stop(Poco::Timespan drainTimeout)
{
    const auto drain = std::chrono::microseconds(drainTimeout.totalMicroseconds());
    const auto deadline = std::chrono::steady_clock::now() + drain;
    drainDeadlineNs_.store(deadline.time_since_epoch().count());
    {
        std::lock_guard lock(mutex_);
        stopping_.store(true);
    }
    const auto peers = peers_.snapshot();
    for (const auto& peer : *peers)
        peer->close(DisconnectReason::Shutdown);

    std::unique_lock lock(mutex_);
    // A handler that is in the middle of a write needs a moment beyond the drain deadline.
    if (!retired_.wait_until(lock, deadline + std::chrono::seconds(2), [this] { return admitted_ == 0; }))
        logger_.warning("stop: " + std::to_string(admitted_) + " connections still ending after the drain timeout");
}

} // namespace ttroute
