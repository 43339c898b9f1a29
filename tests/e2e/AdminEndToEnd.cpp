// The e2e_admin suite's fixture base: tthost with its admin endpoint (AdminEndToEnd.h).
#include "AdminEndToEnd.h"

#include <cppunit/extensions/HelperMacros.h>

tttest::HostProperties AdminEndToEnd::adminProperties()
{
    return tttest::HostProperties("AdminEndToEndTest").withAdmin().set("host.drain_timeout", "2s").quietConnections();
}

void AdminEndToEnd::assertJsonError(const std::string& path, const tttest::HttpReply& reply, int status)
{
    CPPUNIT_ASSERT_EQUAL_MESSAGE(tttest::describe(path, reply), status, reply.status);
    CPPUNIT_ASSERT_MESSAGE(tttest::describe(path, reply), reply.contentType.rfind("application/json", 0) == 0);
    const auto object = tttest::jsonObject(reply.body);
    CPPUNIT_ASSERT_MESSAGE(tttest::describe(path, reply), object->has("error") && object->get("error").isString() &&
                                                              !object->getValue<std::string>("error").empty());
}
