// Who may change things through the admin endpoint (POST /reload, POST /drain): without
// host.admin.token only an endpoint bound to a loopback address serves them; with a token,
// any endpoint does for a request that presents exactly that token, and none for one that
// does not. The addresses are only compared, never bound or connected to.
#include "tthost/AdminSubsystem.h"

#include <Poco/Net/SocketAddress.h>

#include <cppunit/extensions/HelperMacros.h>

namespace
{

/// AdminSubsystem's rule, reachable from a test.
struct AdminAccess : tthost::AdminSubsystem
{
    using tthost::AdminSubsystem::allowsChange;
};

bool allows(const std::string& endpoint, const std::string& token, const std::string& bearer)
{
    return AdminAccess::allowsChange(Poco::Net::SocketAddress(endpoint), token, bearer);
}

} // namespace

class AdminAccessTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(AdminAccessTest);
    CPPUNIT_TEST(withoutTokenOnlyLoopbackEndpointsChangeThings);
    CPPUNIT_TEST(withTokenExactlyThatTokenIsNeededEverywhere);
    CPPUNIT_TEST_SUITE_END();

public:
    void withoutTokenOnlyLoopbackEndpointsChangeThings()
    {
        CPPUNIT_ASSERT(allows("127.0.0.1:8280", "", ""));
        CPPUNIT_ASSERT(allows("127.0.0.2:8280", "", ""));
        CPPUNIT_ASSERT(allows("[::1]:8280", "", ""));
        CPPUNIT_ASSERT(allows("127.0.0.1:8280", "", "anything")); // no token to check: loopback decides
        CPPUNIT_ASSERT(!allows("0.0.0.0:8280", "", ""));         // every address, the network's too
        CPPUNIT_ASSERT(!allows("[::]:8280", "", ""));
        CPPUNIT_ASSERT(!allows("10.1.2.3:8280", "", ""));
        CPPUNIT_ASSERT(!allows("192.168.1.10:8280", "", "whatever"));
    }

    void withTokenExactlyThatTokenIsNeededEverywhere()
    {
        const std::string token = "s3cret-Token";
        CPPUNIT_ASSERT(allows("10.1.2.3:8280", token, token));
        CPPUNIT_ASSERT(allows("0.0.0.0:8280", token, token));
        CPPUNIT_ASSERT(allows("127.0.0.1:8280", token, token));
        CPPUNIT_ASSERT(!allows("127.0.0.1:8280", token, ""));
        CPPUNIT_ASSERT(!allows("10.1.2.3:8280", token, ""));
        CPPUNIT_ASSERT(!allows("10.1.2.3:8280", token, "s3cret-token"));
        CPPUNIT_ASSERT(!allows("10.1.2.3:8280", token, "s3cret-Toke"));
        CPPUNIT_ASSERT(!allows("10.1.2.3:8280", token, "s3cret-Token "));
        CPPUNIT_ASSERT(!allows("10.1.2.3:8280", token, std::string("s3cret-Token\0", 13)));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(AdminAccessTest);
