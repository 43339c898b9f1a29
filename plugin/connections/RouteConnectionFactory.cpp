#include "RouteConnectionFactory.h"

#include "connections/RouteConnection.h"

namespace ttroute
{

RouteConnectionFactory::RouteConnectionFactory(std::shared_ptr<RouteService> service)
    : service_(std::move(service))
{
}

Poco::Net::TCPServerConnection* RouteConnectionFactory::createConnection(const Poco::Net::StreamSocket& socket)
{
    // Poco's TCPServer takes ownership of the handler and deletes it after run().
    return std::make_unique<RouteConnection>(socket, service_).release();
}

} // namespace ttroute
