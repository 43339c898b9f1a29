#pragma once

#include "connections/RouteService.h"

#include <Poco/Net/TCPServer.h>

#include <memory>

namespace ttroute
{

/// Refuses, at accept and before any thread is spent on it, a connection route.allow does not admit.
class RouteConnectionFilter : public Poco::Net::TCPServerConnectionFilter
{
public:
    /// Asks `service` about each accepted socket.
    explicit RouteConnectionFilter(std::shared_ptr<RouteService> service);

    /// False (and a log line) for a connection that must be closed at once.
    bool accept(const Poco::Net::StreamSocket& socket) override;

private:
    std::shared_ptr<RouteService> service_;
};

} // namespace ttroute
