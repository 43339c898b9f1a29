#include "ConsoleEndToEnd.h"

#include "AdminHttp.h"
#include "AdminJson.h"

#include <cppunit/extensions/HelperMacros.h>

tttest::HostProperties config()
{
    return tttest::HostProperties("ConsoleEndToEndTest").withAdmin().set("host.drain_timeout", "2s").quietConnections();
}

std::string traceName(std::uint16_t admin, tttest::FakeMsgServer& fake)
{
    return "msg server " + tttest::addressOf(fake) + " #" + std::to_string(tttest::numberField(tttest::peerOf(admin, fake), "id"));
}

void assertMethodRefused(std::uint16_t admin, const std::string& path, const std::string& method, const std::string& allowed)
{
    const tttest::HttpReply reply = tttest::http(admin, path, method);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(method + " " + tttest::describe(path, reply), 405, reply.status);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(method + " " + tttest::describe(path, reply), allowed, reply.allow);
}
