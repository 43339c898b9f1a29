#include "Peer.h"

namespace ttroute
{

Peer::Peer(ConnectionId id, const Poco::Net::SocketAddress& remote, int fd, const LiveSettings& settings, OutboxGauge& gauge)
    : id_(id)
    , remote_(remote)
    , description_("msg server " + remote.toString() + " #" + std::to_string(id))
    , connectedSince_(std::chrono::system_clock::now())
    , settings_(settings)
    , outbox_(fd, gauge)
    , lastReceiveNs_(std::chrono::steady_clock::now().time_since_epoch().count())
{
}

void Peer::deliver(FrameBatch& batch)
{
    switch (outbox_.push(batch, settings_.maxOutboxBytes()))
    {
        case Outbox::PushResult::QueuedFirst:
            wakeup_.signal();
            break;
        case Outbox::PushResult::Overflow:
            close(DisconnectReason::QueueOverflow);
            break;
        case Outbox::PushResult::Failed:
            close(DisconnectReason::WriteError);
            break;
        case Outbox::PushResult::Written:
        case Outbox::PushResult::Queued:
        case Outbox::PushResult::Closed:
            break;
    }
}

void Peer::close(DisconnectReason reason)
{
    int none = kNoReason;
    if (closeReason_.compare_exchange_strong(none, static_cast<int>(reason)))
        wakeup_.signal();
}

std::optional<DisconnectReason> Peer::closeRequest() const
{
    const int reason = closeReason_.load();
    if (reason == kNoReason)
        return std::nullopt;
    return static_cast<DisconnectReason>(reason);
}

bool Peer::evict()
{
    if (evicted_.exchange(true, std::memory_order_relaxed))
        return false;
    close(DisconnectReason::Evicted);
    return true;
}

} // namespace ttroute
