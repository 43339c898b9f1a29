#include "StatusPageEndToEnd.h"

#include "AdminHttp.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>

std::string config(const std::string& queryIds)
{
    return "# written by StatusPageEndToEndTest\n"
           "host.route.listen = 127.0.0.1:0\n"
           "host.admin.listen = 127.0.0.1:0\n"
           "route.relay.mode = targeted\n"
           "route.max_status_query_ids = " + queryIds + "\n"
           "route.heartbeat_interval = 1h\n"
           "route.idle_timeout = 1h\n";
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
