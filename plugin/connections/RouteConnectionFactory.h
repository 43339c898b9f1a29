#pragma once

#include "connections/RouteService.h"

#include <Poco/Net/TCPServerConnectionFactory.h>

#include <memory>

namespace ttroute
{

/// Creates a RouteConnection for each accepted socket; the host hands it to every TCPServer.
class RouteConnectionFactory : public Poco::Net::TCPServerConnectionFactory
{
public:
    /// Connections it creates route through `service`.
    explicit RouteConnectionFactory(std::shared_ptr<RouteService> service);

    /// A new handler for `socket`, owned by the TCPServer.
    Poco::Net::TCPServerConnection* createConnection(const Poco::Net::StreamSocket& socket) override;

private:
    std::shared_ptr<RouteService> service_;
};

} // namespace ttroute
