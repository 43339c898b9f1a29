#pragma once

#include "config/LiveSettings.h"
#include "connections/Outbox.h"
#include "connections/WakeupEvent.h"
#include "routing/PeerLink.h"

#include <Poco/Net/SocketAddress.h>

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
    /// A peer writing to socket `fd` (owned by the connection), connected from `remote`; its
    /// queued bytes count in `gauge`.
    Peer(ConnectionId id, const Poco::Net::SocketAddress& remote, int fd, const LiveSettings& settings, OutboxGauge& gauge);

    /// See PeerLink.
    ConnectionId id() const override { return id_; }
    /// See PeerLink.
    const std::string& description() const override { return description_; }
    /// See PeerLink: writes now if the socket has room, queues otherwise.
    void deliver(FrameBatch& batch) override;
    /// See PeerLink.
    std::size_t queuedBytes() const override { return outbox_.queuedBytes(); }
    /// See PeerLink: wakes the connection's thread, which ends the connection.
    void close(DisconnectReason reason) override;

    /// The msg server's address and port.
    const Poco::Net::SocketAddress& remote() const { return remote_; }

    /// When the connection was accepted.
    std::chrono::system_clock::time_point connectedSince() const { return connectedSince_; }

    /// Counts a read of `frames` whole PDUs and `bytes` bytes (by the connection's thread).
    void countReceived(std::uint64_t frames, std::uint64_t bytes)
    {
        framesIn_.fetch_add(frames, std::memory_order_relaxed);
        bytesIn_.fetch_add(bytes, std::memory_order_relaxed);
    }

    /// Notes that whole PDUs arrived at `when` (by the connection's thread).
    void noteReceive(std::chrono::steady_clock::time_point when)
    {
        lastReceiveNs_.store(when.time_since_epoch().count(), std::memory_order_relaxed);
    }

    /// When whole PDUs last arrived (the time of connecting before any did).
    std::chrono::steady_clock::time_point lastReceive() const
    {
        return std::chrono::steady_clock::time_point(std::chrono::steady_clock::duration(lastReceiveNs_.load(std::memory_order_relaxed)));
    }

    /// Whole PDUs received so far.
    std::uint64_t framesIn() const { return framesIn_.load(std::memory_order_relaxed); }

    /// Bytes received so far.
    std::uint64_t bytesIn() const { return bytesIn_.load(std::memory_order_relaxed); }

    /// Why the peer was asked to close, once it was; the first reason given wins.
    std::optional<DisconnectReason> closeRequest() const;

    /// Closes the peer to make room for a new connection (DisconnectReason::Evicted); false
    /// when it was chosen for that already.
    bool evict();

    /// True once evict() chose it.
    bool evicted() const { return evicted_.load(std::memory_order_relaxed); }

    /// The outbound queue; its owner thread flushes it.
    Outbox& outbox() { return outbox_; }

    /// The event the owner thread polls to learn about close requests and a newly filled outbox.
    WakeupEvent& wakeup() { return wakeup_; }

private:
    static constexpr int kNoReason = -1;

    const ConnectionId id_;
    const Poco::Net::SocketAddress remote_;
    const std::string description_;
    const std::chrono::system_clock::time_point connectedSince_;
    const LiveSettings& settings_;
    Outbox outbox_;
    WakeupEvent wakeup_;
    std::atomic<std::uint64_t> framesIn_{0};
    std::atomic<std::uint64_t> bytesIn_{0};
    std::atomic<std::chrono::steady_clock::rep> lastReceiveNs_;
    std::atomic<int> closeReason_{kNoReason};
    std::atomic<bool> evicted_{false};
};

} // namespace ttroute
