#include "RouteConnection.h"

#include "connections/Peer.h"
#include "wire/FrameDecoder.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <linux/sockios.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

namespace ttroute
{
namespace
{

using Clock = std::chrono::steady_clock;

/// The longest a poll waits. An idle connection's thread sleeps until its next heartbeat or
/// idle deadline: changed settings and close requests wake it through its wake-up event, so
/// a few thousand idle connections cost no wake-ups in between.
constexpr std::chrono::milliseconds kMaxPollWait{60000};

/// How long a drained connection (POST /drain) may spend flushing what is queued for it.
constexpr std::chrono::seconds kDrainedFlushTimeout{5};

/// The remote end; a connection reset before we ask has none any more (0.0.0.0:0 then).
Poco::Net::SocketAddress remoteAddress(const Poco::Net::StreamSocket& socket)
{
    try
    {
        return socket.peerAddress();
    }
    catch (const Poco::Exception&)
    {
        return {};
    }
}

/// What `peer` has shown of itself since it connected: why it was the one to make room.
std::string sinceConnected(const Peer& peer)
{
    const auto age = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now() - peer.connectedSince());
    const std::string seconds = std::to_string(age.count() / 1000) + "." + std::to_string(age.count() % 1000 / 100) + " s";
    return peer.standing() == PeerStanding::Silent ? "it had sent no whole PDU in the " + seconds + " since it connected"
                                                   : "it had sent nothing but heartbeats, queries or commands nobody routes in the " + seconds +
                                                         " since it connected";
}

/// True when input (or EOF, or an error) waits on `fd` to be read, without waiting for any.
bool inputWaiting(int fd)
{
    pollfd events{fd, POLLIN, 0};
    return ::poll(&events, 1, 0) > 0 && (events.revents & (POLLIN | POLLHUP | POLLERR)) != 0;
}

int millisUntil(Clock::time_point deadline, Clock::time_point now)
{
    const auto wait = std::chrono::ceil<std::chrono::milliseconds>(deadline - now);
    return static_cast<int>(std::clamp(wait, std::chrono::milliseconds(0), kMaxPollWait).count());
}

} // namespace

RouteConnection::RouteConnection(const Poco::Net::StreamSocket& socket, std::shared_ptr<RouteService> service)
    : Poco::Net::TCPServerConnection(socket)
    , service_(std::move(service))
{
}

void RouteConnection::run()
{
    RouteService& service = *service_;
    Poco::Net::StreamSocket& sock = socket();
    sock.setNoDelay(true);
    auto peer = std::make_shared<Peer>(service.nextConnectionId(), remoteAddress(sock), sock.impl()->sockfd(), service.settings(),
                                       service.outboxGauge());
    const RouteService::Admission admission = service.admit(peer);
    switch (admission.outcome)
    {
        case RouteService::Admission::Outcome::Stopping:
            service.logger().information(peer->description() + ": refused, the server is stopping");
            return;
        case RouteService::Admission::Outcome::Full:
            service.logger().warning(peer->description() + ": refused, max_connections (" +
                                     std::to_string(service.settings().maxConnections()) +
                                     ") are served already, every one of them a msg server that routed or registered something");
            return;
        case RouteService::Admission::Outcome::Admitted:
            break;
    }
    DisconnectReason reason = DisconnectReason::InternalError;
    std::size_t hosted = 0;
    try
    {
        if (admission.evicted)
            service.logger().warning(peer->description() + ": connected; max_connections (" +
                                     std::to_string(service.settings().maxConnections()) + ") were served, so " +
                                     admission.evicted->description() + " was closed to make room: " + sinceConnected(*admission.evicted));
        else
            service.logger().information(peer->description() + ": connected");
        reason = serve(*peer);
        hosted = service.router().readPresence([&](const PresenceRegistry& presence) { return presence.usersHostedBy(peer->id()); });
    }
    catch (const std::exception& error)
    {
        // Whatever failed (a log channel on a full disk, memory), the peer must still be
        // retired below: a peer left in the directory would write into whatever socket
        // reuses this one's descriptor.
        detail_ = error.what();
    }
    service.retire(*peer);
    RouteCounters::add(service.counters().disconnects[static_cast<std::size_t>(reason)], 1);
    try
    {
        logEnd(*peer, reason, hosted);
    }
    catch (const std::exception&)
    {
        // Nothing is left to do for this connection; the log is what failed.
    }
}

DisconnectReason RouteConnection::serve(Peer& peer)
{
    RouteService& service = *service_;
    const int fd = socket().impl()->sockfd();
    FrameDecoder decoder;
    std::vector<FrameView> frames;
    RouteScratch scratch;
    Clock::time_point lastReceive = Clock::now();

    for (;;)
    {
        if (const auto request = peer.closeRequest())
        {
            if (*request == DisconnectReason::Shutdown)
                drain(peer, service.drainDeadline());
            if (*request == DisconnectReason::Drained)
            {
                drain(peer, Clock::now() + kDrainedFlushTimeout);
                detail_ = "drained on request of the admin endpoint; it will reconnect";
            }
            if (*request == DisconnectReason::Evicted)
                detail_ = "closed to make room for a new connection at max_connections (" +
                          std::to_string(service.settings().maxConnections()) + "): " + sinceConnected(peer);
            if (*request == DisconnectReason::QueueOverflow)
                detail_ = "its outbound queue would have held " + std::to_string(peer.outbox().overflowBytes()) +
                          " bytes, over max_outbox_bytes " + std::to_string(service.settings().maxOutboxBytes()) +
                          ": it stopped reading";
            return *request;
        }

        const Clock::time_point now = Clock::now();
        const auto idleDeadline = lastReceive + service.settings().idleTimeout();
        // The deadline is about what the peer sent, not about what this thread has read: when
        // this thread gets here late (descheduled, held up by a page fault or a slow log
        // channel while routing), PDUs that arrived meanwhile wait unread, and count once read.
        if (now >= idleDeadline && !inputWaiting(fd))
        {
            detail_ = "no whole PDU received for " + std::to_string(service.settings().idleTimeout().count()) + " ms";
            return DisconnectReason::IdleTimeout;
        }
        auto heartbeatDue = peer.outbox().lastPush() + service.settings().heartbeatInterval();
        if (now >= heartbeatDue)
        {
            FrameBatch heartbeat(service.heartbeatFrame(), 1);
            peer.deliver(heartbeat);
            service.counters().sent.add(CommandId::Heartbeat, 1, heartbeat.size());
            heartbeatDue = now + service.settings().heartbeatInterval();
        }

        pollfd fds[2] = {{fd, static_cast<short>(POLLIN | (peer.outbox().hasPending() ? POLLOUT : 0)), 0},
                         {peer.wakeup().fd(), POLLIN, 0}};
        const int ready = ::poll(fds, 2, millisUntil(std::min(idleDeadline, heartbeatDue), now));
        if (ready < 0)
        {
            if (errno == EINTR)
                continue;
            detail_ = std::string("poll failed: ") + std::strerror(errno);
            return DisconnectReason::ReadError;
        }
        if (fds[1].revents)
            peer.wakeup().clear();
        if ((fds[0].revents & POLLOUT) && peer.outbox().flush() == Outbox::FlushResult::Failed)
            peer.close(DisconnectReason::WriteError);
        if (!(fds[0].revents & (POLLIN | POLLHUP | POLLERR)))
            continue;

        const auto [space, capacity] = decoder.prepareRead();
        const ssize_t received = ::recv(fd, space, capacity, MSG_DONTWAIT);
        if (received == 0)
            return DisconnectReason::PeerClosed;
        if (received < 0)
        {
            if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
                continue;
            detail_ = std::string("read failed: ") + std::strerror(errno);
            return DisconnectReason::ReadError;
        }
        frames.clear();
        try
        {
            decoder.commit(static_cast<std::size_t>(received), service.settings().maxPduBytes(), frames);
        }
        catch (const FrameError& error)
        {
            // The frames before the bad header are sound: route them, then give up the stream.
            peer.countReceived(frames.size(), static_cast<std::uint64_t>(received));
            service.router().route(peer, frames, scratch);
            const auto rejection = error.header().length < kFrameHeaderSize ? FrameRejection::BelowHeader : FrameRejection::AboveLimit;
            RouteCounters::add(service.counters().framesRejected[static_cast<std::size_t>(rejection)], 1);
            const FrameHeader& header = error.header();
            detail_ = std::string(error.what()) + " (service " + std::to_string(header.serviceId) + ", command " +
                      std::to_string(header.commandId) + ", seq " + std::to_string(header.seqNum) + ")";
            return DisconnectReason::BadFrame;
        }
        peer.countReceived(frames.size(), static_cast<std::uint64_t>(received));
        if (frames.empty())
            continue;
        // A whole PDU counts as life (protocol.md §7); bytes trickling into one that never
        // completes do not, so a peer that does that is closed at the idle timeout.
        lastReceive = Clock::now();
        peer.noteReceive(lastReceive);
        service.router().route(peer, frames, scratch);
    }
}

void RouteConnection::drain(Peer& peer, Clock::time_point deadline)
{
    // Flush the outbox, then wait until the kernel has sent everything and the peer has
    // acknowledged it: closing a socket with unread input sends a reset, and a reset throws
    // away whatever is still in the kernel's send queue. Input is read and dropped meanwhile.
    const int fd = socket().impl()->sockfd();
    char discard[16384];
    for (;;)
    {
        const bool pending = peer.outbox().hasPending();
        int unsent = 0;
        if (!pending && (::ioctl(fd, SIOCOUTQ, &unsent) != 0 || unsent == 0))
            break;
        const Clock::time_point now = Clock::now();
        if (now >= deadline)
            break;
        pollfd events{fd, static_cast<short>(POLLIN | (pending ? POLLOUT : 0)), 0};
        // The kernel signals nothing when its send queue empties: look again every 10 ms.
        const int wait = pending ? millisUntil(deadline, now) : std::min(10, millisUntil(deadline, now));
        if (::poll(&events, 1, wait) < 0 && errno != EINTR)
            break;
        if ((events.revents & POLLOUT) && peer.outbox().flush() == Outbox::FlushResult::Failed)
            break;
        if ((events.revents & (POLLIN | POLLHUP | POLLERR)) && ::recv(fd, discard, sizeof discard, MSG_DONTWAIT) <= 0 &&
            !(errno == EAGAIN || errno == EINTR))
            break;
    }
    ::shutdown(fd, SHUT_WR);
}

void RouteConnection::logEnd(Peer& peer, DisconnectReason reason, std::size_t hosted)
{
    const auto now = std::chrono::system_clock::now();
    service_->disconnects().record({now, peer.id(), peer.remote().toString(), reason, detail_,
                                    std::chrono::duration_cast<std::chrono::milliseconds>(now - peer.connectedSince()), hosted});
    std::string line = peer.description() + ": disconnected (" + toString(reason) + ")";
    if (!detail_.empty())
        line += ": " + detail_;
    line += "; received " + std::to_string(peer.framesIn()) + " frames / " + std::to_string(peer.bytesIn()) + " bytes, sent " +
            std::to_string(peer.outbox().framesOut()) + " frames / " + std::to_string(peer.outbox().bytesOut()) + " bytes";
    Poco::Logger& logger = service_->logger();
    switch (reason)
    {
        case DisconnectReason::PeerClosed:
        case DisconnectReason::Drained:
        case DisconnectReason::Shutdown:
            logger.information(line);
            break;
        default:
            logger.warning(line);
            break;
    }
}

} // namespace ttroute
