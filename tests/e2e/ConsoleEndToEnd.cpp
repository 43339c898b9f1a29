#include "ConsoleEndToEnd.h"

#include "AdminHttp.h"
#include "AdminJson.h"

#include <cppunit/extensions/HelperMacros.h>

tttest::HostProperties config()
{
    return tttest::HostProperties("ConsoleEndToEndTest").withAdmin().set("host.drain_timeout", "2s").quietConnections();
}

std::uint64_t count(const Poco::JSON::Object::Ptr& object, const std::string& key)
{
    CPPUNIT_ASSERT_MESSAGE("no '" + key + "'", object && object->has(key));
    return object->getValue<std::uint64_t>(key);
}

std::string text(const Poco::JSON::Object::Ptr& object, const std::string& key)
{
    CPPUNIT_ASSERT_MESSAGE("no '" + key + "'", object && object->has(key) && object->get(key).isString());
    return object->getValue<std::string>(key);
}

std::string traceName(std::uint16_t admin, tttest::FakeMsgServer& fake)
{
    return "msg server " + tttest::addressOf(fake) + " #" + std::to_string(count(tttest::peerOf(admin, fake), "id"));
}

void assertMethodRefused(std::uint16_t admin, const std::string& path, const std::string& method, const std::string& allowed)
{
    const tttest::HttpReply reply = tttest::http(admin, path, method);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(method + " " + tttest::describe(path, reply), 405, reply.status);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(method + " " + tttest::describe(path, reply), allowed, reply.allow);
}
