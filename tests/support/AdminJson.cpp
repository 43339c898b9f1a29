#include "AdminJson.h"

#include "AdminHttp.h"

#include <Poco/JSON/Array.h>

#include <cppunit/extensions/HelperMacros.h>

namespace tttest
{

Poco::JSON::Object::Ptr getJson(std::uint16_t admin, const std::string& path)
{
    const HttpReply reply = http(admin, path);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(describe(path, reply), 200, reply.status);
    CPPUNIT_ASSERT_MESSAGE(describe(path, reply), reply.contentType.rfind("application/json", 0) == 0);
    return jsonObject(reply.body);
}

std::string addressOf(FakeMsgServer& fake)
{
    return fake.socket().address().toString();
}

Poco::JSON::Object::Ptr peerOf(std::uint16_t admin, FakeMsgServer& fake)
{
    const auto peers = peersByAddress(admin);
    const auto found = peers.find(addressOf(fake));
    CPPUNIT_ASSERT_MESSAGE("no peer " + addressOf(fake) + " in /peers", found != peers.end());
    return found->second;
}

std::size_t tracesListed(std::uint16_t admin)
{
    const auto status = getJson(admin, "/status");
    CPPUNIT_ASSERT_MESSAGE("no list of traces in /status", status->isArray("traces"));
    return status->getArray("traces")->size();
}

std::uint64_t numberField(const Poco::JSON::Object::Ptr& object, const std::string& key)
{
    CPPUNIT_ASSERT_MESSAGE("not a JSON object where '" + key + "' was wanted", object);
    CPPUNIT_ASSERT_MESSAGE("missing '" + key + "'", object->has(key));
    const Poco::Dynamic::Var value = object->get(key);
    CPPUNIT_ASSERT_MESSAGE("'" + key + "' is not a number: " + value.toString(), value.isNumeric() && !value.isString());
    return value.convert<Poco::UInt64>();
}

std::string stringField(const Poco::JSON::Object::Ptr& object, const std::string& key)
{
    CPPUNIT_ASSERT_MESSAGE("not a JSON object where '" + key + "' was wanted", object);
    CPPUNIT_ASSERT_MESSAGE("missing '" + key + "'", object->has(key));
    CPPUNIT_ASSERT_MESSAGE("'" + key + "' is not a string", object->get(key).isString());
    return object->getValue<std::string>(key);
}

} // namespace tttest
