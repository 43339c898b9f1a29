#pragma once

#include "connections/RouteService.h"
#include "routing/DisconnectReason.h"

#include <Poco/Net/TCPServerConnection.h>

#include <memory>

namespace ttroute
{

class Peer;

/// One msg-server connection, served by one thread of the host's TCPServer.
///
/// The thread waits in poll() on the socket and on the peer's wake-up event. It reads in
/// large chunks, feeds the decoder, routes every read's frames, drains the outbox when the
/// socket is writable again, sends HEARTBEAT when the line was quiet for heartbeat_interval,
/// and ends on EOF, error, idle timeout, a bad frame or a close request. On the way out it
/// removes the peer's presence (announcing users who went offline) before the socket closes.
class RouteConnection : public Poco::Net::TCPServerConnection
{
public:
    /// A handler for `socket`, routing through `service`.
    RouteConnection(const Poco::Net::StreamSocket& socket, std::shared_ptr<RouteService> service);

    /// Serves the connection until it ends.
    void run() override;

private:
    DisconnectReason serve(Peer& peer);
    /// Sends what is queued for `peer` and lets the kernel deliver it, until `deadline` at most.
    void drain(Peer& peer, std::chrono::steady_clock::time_point deadline);
    /// Logs the end of the connection and records it (GET /disconnects); `hosted`: the users it hosted.
    void logEnd(Peer& peer, DisconnectReason reason, std::size_t hosted);

    std::shared_ptr<RouteService> service_;
    std::string detail_; ///< what the log line about the end should add
};

} // namespace ttroute
