#include "Listener.h"

namespace tthost
{

Poco::Net::ServerSocket bindListenSocket(const Poco::Net::SocketAddress& address, int backlog)
{
    Poco::Net::ServerSocket socket;
    // SO_REUSEADDR lets a restart bind past old TIME_WAIT connections; no SO_REUSEPORT, so a
    // port another process listens on is reported as in use.
    if (address.family() == Poco::Net::SocketAddress::IPv6)
        socket.bind6(address, true, false, true);
    else
        socket.bind(address, true, false);
    socket.listen(backlog);
    return socket;
}

namespace
{

/// How long a connection thread that served its connection waits for the next one before it
/// goes back to the pool, and how long it idles there before it ends: a storm of connections
/// leaves no thousand idle threads behind.
constexpr int kThreadIdleSeconds = 2;

/// A connection thread's stack. A connection needs a few pages of it (its routing works on
/// buffers of the heap); the sanitizers' instrumentation makes frames several times larger.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr int kThreadStackBytes = 2 * 1024 * 1024;
#else
constexpr int kThreadStackBytes = 256 * 1024;
#endif

Poco::Net::TCPServerParams::Ptr serverParams(int maxThreads, int maxQueued)
{
    auto params = Poco::makeAuto<Poco::Net::TCPServerParams>();
    params->setMaxThreads(maxThreads);
    params->setMaxQueued(maxQueued);
    params->setThreadIdleTime(Poco::Timespan(kThreadIdleSeconds, 0));
    return params;
}

} // namespace

Listener::Listener(const Poco::Net::SocketAddress& configured, const Poco::Net::ServerSocket& socket,
                   Poco::Net::TCPServerConnectionFactory::Ptr factory, Poco::Net::TCPServerConnectionFilter::Ptr filter, int maxThreads,
                   int maxQueued)
    : configured_(configured)
    , bound_(socket.address())
    , socket_(socket)
    , threads_("conn-" + std::to_string(bound_.port()), 1, maxThreads, kThreadIdleSeconds, kThreadStackBytes)
    , server_(std::make_unique<Poco::Net::TCPServer>(factory, threads_, socket, serverParams(maxThreads, maxQueued)))
{
    if (filter)
        server_->setConnectionFilter(filter);
}

Listener::~Listener()
{
    stopAccepting();
    server_.reset();
    threads_.joinAll();
}

void Listener::start()
{
    server_->start();
}

void Listener::stopAccepting()
{
    server_->stop();
    // The TCPServer shares this socket; closing it refuses new connections at once, where a
    // stopped TCPServer would leave them to wait in the kernel's backlog.
    socket_.close();
}

int Listener::activeConnections() const
{
    return server_->currentConnections();
}

void Listener::join()
{
    threads_.joinAll();
}

bool Listener::releaseIdleThreads()
{
    const int before = threads_.allocated();
    threads_.collect();
    return threads_.allocated() < before;
}

int Listener::threads() const
{
    return threads_.allocated();
}

} // namespace tthost
