#pragma once

#include "ConnectionId.h"
#include "DisconnectReason.h"
#include "FrameBatch.h"

#include <cstddef>
#include <string>

namespace ttroute
{

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

    /// Records what the msg server said with ROLE_SET (protocol.md §5: no effect on routing);
    /// true when that changed its role.
    virtual bool setMaster(bool master) = 0;

    /// Bytes delivered to it that still wait for its socket.
    virtual std::size_t queuedBytes() const = 0;

    /// Asks the connection to end for `reason`; returns at once, from any thread.
    virtual void close(DisconnectReason reason) = 0;
};

} // namespace ttroute
