// The presence registry losing a connection (protocol.md §7): exactly what it contributed goes,
// and the users who thereby lost their last PC login are reported, still known or forgotten;
// and the queries: statuses of many ids at once, a user's logins, ids at the extremes.
#include "PresenceText.h"
#include "PresenceUpdates.h"
#include "ProtocolConstants.h"
#include "presence/PresenceRegistry.h"

#include <cppunit/extensions/HelperMacros.h>

#include <cstdint>
#include <string>
#include <vector>

using ttroute::PresenceRegistry;
using namespace presencetest;
using namespace tttest::protocol;

class PresenceRemovalTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(PresenceRemovalTest);
    CPPUNIT_TEST(removeConnectionReturnsUsersWhoLostLastPcLogin);
    CPPUNIT_TEST(removeConnectionLeavesOtherConnectionsIntact);
    CPPUNIT_TEST(removeConnectionOfMobileOnlyUserForgetsWithoutReporting);
    CPPUNIT_TEST(removeConnectionWithPcElsewhereReportsNothing);
    CPPUNIT_TEST(removeConnectionOfUnknownConnection);
    CPPUNIT_TEST(removeConnectionTwice);
    CPPUNIT_TEST(queryOnlineWithDuplicatesAndUnknownIds);
    CPPUNIT_TEST(queryOnlineResizesOutput);
    CPPUNIT_TEST(queryOnlineOfNothing);
    CPPUNIT_TEST(loginsOfReportsPerConnectionPerType);
    CPPUNIT_TEST(extremeUserIds);
    CPPUNIT_TEST_SUITE_END();

public:
    void removeConnectionReturnsUsersWhoLostLastPcLogin()
    {
        PresenceRegistry registry;
        applyAll(registry, {{1, 10, kOnline, kWindows},   // PC only on 1: lost, forgotten
                            {1, 11, kOnline, kWindows},   // PC on 1, mobile on 2: lost, still known
                            {2, 11, kOnline, kIos},
                            {1, 12, kOnline, kWindows},   // PC on 1 and 2: not lost
                            {2, 12, kOnline, kMac},
                            {1, 13, kOnline, kAndroid},   // mobile only on 1: not lost (was never online), forgotten
                            {2, 14, kOnline, kWindows},   // not on 1 at all
                            {1, 15, kOnline, kWindows},   // PC and mobile both on 1: lost, forgotten
                            {1, 15, kOnline, kAndroid},
                            {1, 16, kLeave, kMac},        // LEAVE is a PC login too
                            {3, 16, kOnline, kAndroid},
                            {1, 16, kOnline, kAndroid}});

        CPPUNIT_ASSERT_EQUAL(std::string("[ 10 forgotten, 11 still known, 15 forgotten, 16 still known ]"),
                             describeLost(registry.removeConnection(1)));

        CPPUNIT_ASSERT(registry.loginsOf(10).empty());
        CPPUNIT_ASSERT_EQUAL(describe({{2, kIos, 1}}), loginsOf(registry, 11));
        CPPUNIT_ASSERT_EQUAL(describe({{2, kMac, 1}}), loginsOf(registry, 12));
        CPPUNIT_ASSERT(registry.isOnline(12));
        CPPUNIT_ASSERT(registry.loginsOf(13).empty());
        CPPUNIT_ASSERT_EQUAL(describe({{2, kWindows, 1}}), loginsOf(registry, 14));
        CPPUNIT_ASSERT(registry.loginsOf(15).empty());
        CPPUNIT_ASSERT_EQUAL(describe({{3, kAndroid, 1}}), loginsOf(registry, 16));
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), registry.userCount());
    }

    void removeConnectionLeavesOtherConnectionsIntact()
    {
        PresenceRegistry registry;
        applyAll(registry, {{1, 100, kOnline, kWindows}, {1, 100, kOnline, kWindows}, {2, 100, kOnline, kWindows}, {2, 100, kOnline, kIos},
                            {3, 200, kOnline, kMac}, {3, 200, kOnline, kMac}});
        registry.removeConnection(2);
        CPPUNIT_ASSERT_EQUAL(describe({{1, kWindows, 2}}), loginsOf(registry, 100));
        CPPUNIT_ASSERT_EQUAL(describe({{3, kMac, 2}}), loginsOf(registry, 200));
        // The counts that remain still behave: two logouts needed on connection 1.
        registry.apply(1, 100, kOffline, kWindows);
        CPPUNIT_ASSERT(registry.isOnline(100));
        registry.apply(1, 100, kOffline, kWindows);
        CPPUNIT_ASSERT(!registry.isOnline(100));
    }

    void removeConnectionOfMobileOnlyUserForgetsWithoutReporting()
    {
        PresenceRegistry registry;
        registry.apply(1, 100, kOnline, kIos);
        registry.apply(1, 100, kOnline, kAndroid);
        CPPUNIT_ASSERT(registry.removeConnection(1).empty());
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), registry.userCount());
        CPPUNIT_ASSERT(registry.loginsOf(100).empty());
    }

    void removeConnectionWithPcElsewhereReportsNothing()
    {
        PresenceRegistry registry;
        registry.apply(1, 100, kOnline, kWindows);
        registry.apply(2, 100, kOnline, kMac);
        CPPUNIT_ASSERT(registry.removeConnection(1).empty());
        CPPUNIT_ASSERT(registry.isOnline(100));
        CPPUNIT_ASSERT_EQUAL(std::string("[ 100 forgotten ]"), describeLost(registry.removeConnection(2)));
    }

    void removeConnectionOfUnknownConnection()
    {
        PresenceRegistry registry;
        registry.apply(1, 100, kOnline, kWindows);
        CPPUNIT_ASSERT(registry.removeConnection(9).empty());
        CPPUNIT_ASSERT_EQUAL(describe({{1, kWindows, 1}}), loginsOf(registry, 100));
    }

    void removeConnectionTwice()
    {
        PresenceRegistry registry;
        registry.apply(1, 100, kOnline, kWindows);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), registry.removeConnection(1).size());
        CPPUNIT_ASSERT(registry.removeConnection(1).empty());
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), registry.userCount());
    }

    void queryOnlineWithDuplicatesAndUnknownIds()
    {
        PresenceRegistry registry;
        applyAll(registry, {{1, 1, kOnline, kWindows}, {1, 2, kOnline, kIos}, {2, 3, kLeave, kMac}});
        const std::vector<std::uint32_t> ids = {3, 1, 99, 1, 2, 3, 0, 2, 1};
        std::vector<std::uint8_t> online;
        registry.queryOnline(ids.data(), ids.size(), online);
        const std::vector<bool> expected = {true, true, false, true, false, true, false, false, true};
        CPPUNIT_ASSERT_EQUAL(expected.size(), online.size());
        for (std::size_t i = 0; i < ids.size(); ++i)
            CPPUNIT_ASSERT_EQUAL_MESSAGE("index " + std::to_string(i), bool(expected[i]), bool(online[i]));
        // Asking changes nothing.
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), registry.userCount());
        CPPUNIT_ASSERT(registry.loginsOf(99).empty());
    }

    void queryOnlineResizesOutput()
    {
        PresenceRegistry registry;
        registry.apply(1, 5, kOnline, kWindows);
        std::vector<std::uint8_t> online(10, true);
        const std::uint32_t ids[] = {6, 5};
        registry.queryOnline(ids, 2, online);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), online.size());
        CPPUNIT_ASSERT(!online[0]);
        CPPUNIT_ASSERT(online[1]);
    }

    void queryOnlineOfNothing()
    {
        PresenceRegistry registry;
        registry.apply(1, 5, kOnline, kWindows);
        std::vector<std::uint8_t> online(3, true);
        registry.queryOnline(nullptr, 0, online);
        CPPUNIT_ASSERT(online.empty());
    }

    void loginsOfReportsPerConnectionPerType()
    {
        PresenceRegistry registry;
        applyAll(registry, {{1, 100, kOnline, kWindows}, {1, 100, kOnline, kWindows}, {2, 100, kOnline, kWindows}});
        for (int i = 0; i < 5; ++i)
            registry.apply(3, 100, kOnline, kAndroid);
        const auto logins = sortedLogins(registry, 100);
        CPPUNIT_ASSERT_EQUAL(describe({{1, kWindows, 2}, {2, kWindows, 1}, {3, kAndroid, 5}}), describe(logins));
        CPPUNIT_ASSERT(registry.loginsOf(101).empty());
    }

    void extremeUserIds()
    {
        // 0 must not be mistaken for an empty slot, nor the largest id overflow anything.
        PresenceRegistry registry;
        applyAll(registry, {{1, 0, kOnline, kWindows}, {1, 0xFFFFFFFFu, kOnline, kIos}, {0, 7, kOnline, kWindows},
                            {0xFFFFFFFFu, 8, kOnline, kMac}});
        CPPUNIT_ASSERT(registry.isOnline(0));
        CPPUNIT_ASSERT(!registry.isOnline(0xFFFFFFFFu));
        CPPUNIT_ASSERT_EQUAL(describe({{1, kIos, 1}}), loginsOf(registry, 0xFFFFFFFFu));
        CPPUNIT_ASSERT_EQUAL(describe({{0, kWindows, 1}}), loginsOf(registry, 7));
        CPPUNIT_ASSERT_EQUAL(describe({{0xFFFFFFFFu, kMac, 1}}), loginsOf(registry, 8));
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), registry.userCount());
        CPPUNIT_ASSERT_EQUAL(std::string("[ 7 forgotten ]"), describeLost(registry.removeConnection(0)));
        registry.apply(1, 0, kOffline, kWindows);
        CPPUNIT_ASSERT(!registry.isOnline(0));
        CPPUNIT_ASSERT(registry.loginsOf(0).empty());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), registry.userCount());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PresenceRemovalTest);
