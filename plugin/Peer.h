#pragma once

#include "Outbox.h"
#include "PeerLink.h"
#include "RouteSettings.h"
#include "WakeupEvent.h"

#include <atomic>
#include <chrono>
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
    /// A peer writing to socket `fd` (owned by the connection) from `address`.
    Peer(ConnectionId id, std::string address, int fd, const LiveSettings& settings);

    ConnectionId id() const override { return id_; }
    const std::string& description() const override { return description_; }
    void deliver(FrameBatch& batch) override;
    void setMaster(bool master) override { master_.store(master, std::memory_order_relaxed); }
    void close(DisconnectReason reason) override;

    /// The remote "address:port".
    const std::string& address() const { return address_; }

    /// What ROLE_SET said last; false until then.
    bool isMaster() const { return master_.load(std::memory_order_relaxed); }

    /// When the connection was accepted.
    std::chrono::system_clock::time_point connectedSince() const { return connectedSince_; }

    /// Why the peer was asked to close, once it was; the first reason given wins.
    std::optional<DisconnectReason> closeRequest() const;

    /// The outbound queue; its owner thread flushes it.
    Outbox& outbox() { return outbox_; }

    /// The event the owner thread polls to learn about close requests and a newly filled outbox.
    WakeupEvent& wakeup() { return wakeup_; }

private:
    static constexpr int kNoReason = -1;

    const ConnectionId id_;
    const std::string address_;
    const std::string description_;
    const std::chrono::system_clock::time_point connectedSince_;
    const LiveSettings& settings_;
    Outbox outbox_;
    WakeupEvent wakeup_;
    std::atomic<bool> master_{false};
    std::atomic<int> closeReason_{kNoReason};
};

} // namespace ttroute
