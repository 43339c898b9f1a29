#include "RouteService.h"

#include "IM.Other.pb.h"
#include "wire/ProtocolIds.h"

#include <algorithm>

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
    , tracer_(Poco::Logger::get(logger.name() + ".trace"))
    , router_(presence_, peers_, settings_, counters_, tracer_, logger_)
    , heartbeatFrame_(buildHeartbeatFrame())
    , lossAnnouncer_([this](DeadlineWorker::Clock::time_point now) { return announceLosses(now); })
{
}

DeadlineWorker::Clock::time_point RouteService::announceLosses(DeadlineWorker::Clock::time_point now) noexcept
{
    try
    {
        return router_.announceLosses(now);
    }
    catch (const std::exception& error)
    {
        // Out of memory, most likely: try again in a moment rather than never.
        try
        {
            logger_.error(std::string("announcing lost connections' users failed: ") + error.what());
        }
        catch (const std::exception&)
        {
        }
        return now + std::chrono::seconds(1);
    }
}

bool RouteService::accepts(const Poco::Net::SocketAddress& remote)
{
    const auto allow = settings_.allow();
    if (allow->allows(remote.host()))
        return true;
    logger_.warning("msg server " + remote.toString() + ": refused, not in route.allow (" + allow->toString() + ")");
    RouteCounters::add(counters_.refused, 1);
    return false;
}

RouteService::Admission RouteService::admit(const std::shared_ptr<Peer>& peer)
{
    std::lock_guard lock(mutex_);
    // Checked under the lock stop() takes, so stop() reaches every admitted peer.
    if (stopping_.load())
        return {Admission::Outcome::Stopping, nullptr};
    std::shared_ptr<Peer> evicted;
    if (connections_.size() - evicting_ >= settings_.maxConnections())
    {
        // Oldest first, and never one that has shown itself a msg server.
        for (const PeerStanding standing : {PeerStanding::Silent, PeerStanding::Chatty})
            for (auto it = connections_.begin(); !evicted && it != connections_.end(); ++it)
                if ((*it)->standing() == standing && (*it)->evict())
                    evicted = *it;
        if (!evicted)
        {
            RouteCounters::add(counters_.refused, 1);
            return {Admission::Outcome::Full, nullptr};
        }
        ++evicting_;
    }
    router_.attach(peer);
    connections_.push_back(peer);
    return {Admission::Outcome::Admitted, evicted};
}

void RouteService::retire(Peer& peer) noexcept
{
    // First what cannot fail: after this no thread writes to the peer's socket.
    peer.outbox().close();
    try
    {
        router_.detach(peer, !stopping_.load());
        lossAnnouncer_.poke();
    }
    catch (const std::exception& error)
    {
        try
        {
            logger_.error(peer.description() + ": removing its presence failed: " + error.what());
        }
        catch (const std::exception&)
        {
        }
    }
    std::lock_guard lock(mutex_);
    connections_.erase(std::find_if(connections_.begin(), connections_.end(), [&](const auto& p) { return p.get() == &peer; }));
    if (peer.evicted())
        --evicting_;
    retired_.notify_all();
}

std::shared_ptr<Peer> RouteService::drain(ConnectionId id)
{
    std::lock_guard lock(mutex_);
    const auto found = std::find_if(connections_.begin(), connections_.end(), [&](const auto& peer) { return peer->id() == id; });
    if (found == connections_.end())
        return nullptr;
    logger_.information((*found)->description() + ": draining on request of the admin endpoint");
    (*found)->close(DisconnectReason::Drained);
    return *found;
}

std::vector<std::shared_ptr<Peer>> RouteService::connections()
{
    std::lock_guard lock(mutex_);
    return connections_;
}

void RouteService::reconfigure(const RouteSettings& settings)
{
    settings_.update(settings);
    lossAnnouncer_.poke(); // a changed grace applies to the losses held already
    std::lock_guard lock(mutex_);
    for (const auto& peer : connections_)
    {
        if (!settings.allow.allows(peer->remote().host()))
        {
            logger_.warning(peer->description() + ": closing, no longer in route.allow (" + settings.allow.toString() + ")");
            peer->close(DisconnectReason::NotAllowed);
        }
        peer->wakeup().signal();
    }
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
    lossAnnouncer_.stop(); // what is held is forgotten: the msg servers re-register wherever they go
    std::unique_lock lock(mutex_);
    stopping_.store(true);
    for (const auto& peer : connections_)
        peer->close(DisconnectReason::Shutdown);
    // A handler that is in the middle of a write needs a moment beyond the drain deadline.
    if (!retired_.wait_until(lock, deadline + std::chrono::seconds(2), [this] { return connections_.empty(); }))
        logger_.warning("stop: " + std::to_string(connections_.size()) + " connections still ending after the drain timeout");
}

} // namespace ttroute
