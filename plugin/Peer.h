#pragma once

#include "Outbox.h"
#include "PeerLink.h"
#include "LiveSettings.h"
#include "WakeupEvent.h"

#include <Poco/Net/SocketAddress.h>

#include <atomic>
#include <optional>
#include <string>

namespace ttroute
{

/// One connected msg server: its identity, its outbox, and the signal that wakes its thread.
///
/// Other threads deliver to it and may ask it to close; its own connection thread reads,
/// drains the outbox when the socket is writable again, and ends when asked.
class Peer final : public PeerLink
{
public:
    /// A peer writing to socket `fd` (owned by the connection), connected from `remote`.
    Peer(ConnectionId id, const Poco::Net::SocketAddress& remote, int fd, const LiveSettings& settings);

    /// See PeerLink.
    ConnectionId id() const override { return id_; }
    /// See PeerLink.
    const std::string& description() const override { return description_; }
    /// See PeerLink: writes now if the socket has room, queues otherwise.
    void deliver(FrameBatch& batch) override;
    /// See PeerLink.
    bool setMaster(bool master) override { return role_.exchange(master ? kMaster : kSlave, std::memory_order_relaxed) != (master ? kMaster : kSlave); }
    /// See PeerLink.
    std::size_t queuedBytes() const override { return outbox_.queuedBytes(); }
    /// See PeerLink: wakes the connection's thread, which ends the connection.
    void close(DisconnectReason reason) override;

    /// The msg server's address and port.
    const Poco::Net::SocketAddress& remote() const { return remote_; }

    /// Why the peer was asked to close, once it was; the first reason given wins.
    std::optional<DisconnectReason> closeRequest() const;

    /// The outbound queue; its owner thread flushes it.
    Outbox& outbox() { return outbox_; }

    /// The event the owner thread polls to learn about close requests and a newly filled outbox.
    WakeupEvent& wakeup() { return wakeup_; }

private:
    static constexpr int kNoReason = -1;

    const ConnectionId id_;
    const Poco::Net::SocketAddress remote_;
    const std::string description_;
    const LiveSettings& settings_;
    Outbox outbox_;
    WakeupEvent wakeup_;
    static constexpr int kUnknownRole = -1; ///< no ROLE_SET yet
    static constexpr int kSlave = 0;
    static constexpr int kMaster = 1;
    std::atomic<int> role_{kUnknownRole};
    std::atomic<int> closeReason_{kNoReason};
};

} // namespace ttroute
