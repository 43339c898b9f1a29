#include "StatusPageEndToEnd.h"

#include "AdminHttp.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>

tttest::HostProperties config()
{
    return tttest::HostProperties("StatusPageEndToEndTest")
        .withAdmin()
        .set("route.relay.mode", "targeted")
        .set("route.max_status_query_ids", "777")
        .quietConnections();
}

Poco::JSON::Object::Ptr jsonIfServed(std::uint16_t port, const std::string& path)
{
    const tttest::HttpReply reply = tttest::http(port, path);
    if (reply.status != 200)
        return nullptr;
    try
    {
        return Poco::JSON::Parser().parse(reply.body).extract<Poco::JSON::Object::Ptr>();
    }
    catch (const Poco::Exception&)
    {
        return nullptr;
    }
}
