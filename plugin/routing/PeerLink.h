#pragma once

#include "presence/ConnectionId.h"
#include "routing/DisconnectReason.h"
#include "routing/FrameBatch.h"

#include <atomic>
#include <cstddef>
#include <string>

namespace ttroute
{

/// What a msg server calls its link to this route server (protocol.md §8).
enum class PeerRole
{
    Unknown, ///< it has said nothing yet
    Master,  ///< it sent ROLE_SET master = 1: its queries and relays come here
    Slave,   ///< ROLE_SET master = 0, or its first ONLINE_USER_INFO came without ROLE_SET
};

/// How far a connection has shown itself to be a msg server: what decides which connection
/// makes room when the route server is full (RouteService::admit()).
enum class PeerStanding
{
    Silent,      ///< no whole PDU yet: the first to be closed to make room
    Chatty,      ///< whole PDUs, but only heartbeats, queries or commands nobody routes
    Established, ///< it routed or registered something: never closed to make room
};

/// One msg server as the router sees it: something to deliver frames to.
///
/// The router knows peers only through this interface, so its rules are tested without
/// sockets. Peer implements it over a real connection.
class PeerLink
{
public:
    virtual ~PeerLink() = default;

    /// The connection's id in the presence registry.
    virtual ConnectionId id() const = 0;

    /// "address:port #id", for log lines.
    virtual const std::string& description() const = 0;

    /// Sends the batch's frames after everything delivered before; never blocks.
    virtual void deliver(FrameBatch& batch) = 0;

    /// Bytes delivered to it that still wait for its socket.
    virtual std::size_t queuedBytes() const = 0;

    /// Asks the connection to end for `reason`; returns at once, from any thread.
    virtual void close(DisconnectReason reason) = 0;

    /// What the msg server calls this link. A stock msg server sends ROLE_SET master = 1 to
    /// its master before its ONLINE_USER_INFO, and nothing to the other route servers.
    PeerRole role() const { return role_.load(std::memory_order_relaxed); }

    /// Records what the msg server said; true when that changed the role.
    bool setRole(PeerRole role) { return role_.exchange(role, std::memory_order_relaxed) != role; }

    /// How far the connection has shown itself to be a msg server.
    PeerStanding standing() const { return standing_.load(std::memory_order_relaxed); }

    /// Records that the connection reached `standing`; a standing never goes back.
    void raiseStanding(PeerStanding standing)
    {
        if (standing_.load(std::memory_order_relaxed) < standing)
            standing_.store(standing, std::memory_order_relaxed);
    }

private:
    std::atomic<PeerRole> role_{PeerRole::Unknown};
    std::atomic<PeerStanding> standing_{PeerStanding::Silent};
};

} // namespace ttroute
