// The connection allowlist: CIDR ranges of both families, single hosts, mapped addresses, bad entries.
#include "config/AllowList.h"

#include <cppunit/extensions/HelperMacros.h>

#include <stdexcept>

using ttroute::AllowList;

namespace
{

bool allows(const AllowList& list, const std::string& address)
{
    return list.allows(Poco::Net::IPAddress(address));
}

} // namespace

class AllowListTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(AllowListTest);
    CPPUNIT_TEST(emptyListAllowsEveryone);
    CPPUNIT_TEST(ipv4Ranges);
    CPPUNIT_TEST(ipv6Ranges);
    CPPUNIT_TEST(bareAddressIsOneHost);
    CPPUNIT_TEST(mappedIpv4MatchesIpv4Ranges);
    CPPUNIT_TEST(familiesDoNotMix);
    CPPUNIT_TEST(badEntriesAreRejectedByName);
    CPPUNIT_TEST(describesItself);
    CPPUNIT_TEST_SUITE_END();

public:
    void emptyListAllowsEveryone()
    {
        const AllowList list;
        CPPUNIT_ASSERT(list.allowsEveryone());
        CPPUNIT_ASSERT(allows(list, "203.0.113.9"));
        CPPUNIT_ASSERT(allows(list, "2001:db8::1"));
        CPPUNIT_ASSERT(AllowList::parse({}).allowsEveryone());
    }

    void ipv4Ranges()
    {
        const auto list = AllowList::parse({"10.0.0.0/8", "192.168.1.0/24", "172.16.5.4/30"});
        CPPUNIT_ASSERT(allows(list, "10.255.1.2"));
        CPPUNIT_ASSERT(allows(list, "192.168.1.200"));
        CPPUNIT_ASSERT(!allows(list, "192.168.2.1"));
        CPPUNIT_ASSERT(allows(list, "172.16.5.7"));
        CPPUNIT_ASSERT(!allows(list, "172.16.5.8"));
        CPPUNIT_ASSERT(!allows(list, "11.0.0.1"));
        // Host bits in the entry do not matter: 172.16.5.4/30 is 172.16.5.4 to .7.
        CPPUNIT_ASSERT(allows(AllowList::parse({"10.1.2.3/8"}), "10.9.9.9"));
        CPPUNIT_ASSERT(allows(AllowList::parse({"0.0.0.0/0"}), "198.51.100.1"));
    }

    void ipv6Ranges()
    {
        const auto list = AllowList::parse({"fd00::/8", "2001:db8:1::/48"});
        CPPUNIT_ASSERT(allows(list, "fd12:3456::1"));
        CPPUNIT_ASSERT(allows(list, "2001:db8:1:ffff::1"));
        CPPUNIT_ASSERT(!allows(list, "2001:db8:2::1"));
        CPPUNIT_ASSERT(!allows(list, "::1"));
    }

    void bareAddressIsOneHost()
    {
        const auto list = AllowList::parse({"127.0.0.1", "::1"});
        CPPUNIT_ASSERT(allows(list, "127.0.0.1"));
        CPPUNIT_ASSERT(!allows(list, "127.0.0.2"));
        CPPUNIT_ASSERT(allows(list, "::1"));
        CPPUNIT_ASSERT(!allows(list, "::2"));
    }

    void mappedIpv4MatchesIpv4Ranges()
    {
        const auto list = AllowList::parse({"10.0.0.0/8"});
        CPPUNIT_ASSERT(allows(list, "::ffff:10.1.2.3"));
        CPPUNIT_ASSERT(!allows(list, "::ffff:11.1.2.3"));
    }

    void familiesDoNotMix()
    {
        CPPUNIT_ASSERT(!allows(AllowList::parse({"::/0"}), "10.0.0.1"));
        CPPUNIT_ASSERT(!allows(AllowList::parse({"0.0.0.0/0"}), "2001:db8::1"));
    }

    void badEntriesAreRejectedByName()
    {
        for (const char* entry : {"10.0.0.0/33", "::/129", "10.0.0/8", "example.com", "10.0.0.0/", "10.0.0.0/x8", "/8", "1.2.3.4/-1"})
        {
            try
            {
                AllowList::parse({"127.0.0.1", entry});
                CPPUNIT_FAIL(std::string("accepted ") + entry);
            }
            catch (const std::invalid_argument& error)
            {
                CPPUNIT_ASSERT_MESSAGE(error.what(), std::string(error.what()).find(entry) != std::string::npos);
            }
        }
    }

    void describesItself()
    {
        CPPUNIT_ASSERT_EQUAL(std::string("everyone"), AllowList().toString());
        CPPUNIT_ASSERT_EQUAL(std::string("10.0.0.0/8, 127.0.0.1/32"), AllowList::parse({"10.1.0.0/8", "127.0.0.1"}).toString());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(AllowListTest);
