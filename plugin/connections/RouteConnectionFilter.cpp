#include "RouteConnectionFilter.h"

#include <Poco/Exception.h>

namespace ttroute
{

RouteConnectionFilter::RouteConnectionFilter(std::shared_ptr<RouteService> service)
    : service_(std::move(service))
{
}

bool RouteConnectionFilter::accept(const Poco::Net::StreamSocket& socket)
{
    try
    {
        return service_->accepts(socket.peerAddress());
    }
    catch (const Poco::Exception&)
    {
        return false; // reset before we could ask who it was: nothing to serve
    }
}

} // namespace ttroute
