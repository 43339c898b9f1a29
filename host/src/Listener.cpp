#include "Listener.h"

namespace tthost
{
Poco::Net::ServerSocket bindListenSocket(const Poco::Net::SocketAddress& address, int backlog)
{
    Poco::Net::ServerSocket socket;
    if (address.family() == Poco::Net::SocketAddress::IPv6)
        socket.bind6(address, true, false, true);
    else
        socket.bind(address, true, false);
    socket.listen(backlog);
    return socket;
}

namespace
{

Poco::Net::TCPServerParams::Ptr serverParams(int maxThreads, int maxQueued)
{
    auto params = Poco::makeAuto<Poco::Net::TCPServerParams>();
    params->setMaxThreads(maxThreads);
    params->setMaxQueued(maxQueued);
    return params;
}

} // namespace

Listener::Listener(Poco::Net::TCPServerConnectionFactory::Ptr factory, const Poco::Net::ServerSocket& socket, int maxThreads,
                   int maxQueued)
    : threads_("conn-" + std::to_string(socket.address().port()), 1, maxThreads)
    , server_(std::make_unique<Poco::Net::TCPServer>(factory, threads_, socket, serverParams(maxThreads, maxQueued)))
{
}

Listener::~Listener()
{
    server_->stop();
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
}

void Listener::join()
{
    threads_.joinAll();
}

Poco::Net::SocketAddress Listener::address() const
{
    return server_->socket().address();
}

} // namespace tthost
