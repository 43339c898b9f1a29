// Users with more than two logins: the registry keeps two inline and spills the rest into a side
// map. Spilling and coming back inline, in every order of removal, with counts, status, removed
// connections and users forgotten and logged in again, checked against the plain model.
#include "ModelledRegistry.h"
#include "PresenceText.h"
#include "PresenceUpdates.h"
#include "ProtocolConstants.h"
#include "presence/PresenceRegistry.h"

#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

using ttroute::ConnectionId;
using ttroute::PresenceOutcome;
using ttroute::PresenceRegistry;
using namespace presencetest;
using namespace tttest::protocol;

class PresenceSpillTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(PresenceSpillTest);
    CPPUNIT_TEST(threeLoginsSpillAndComeBack);
    CPPUNIT_TEST(spilledLoginsRemovedInEveryOrder);
    CPPUNIT_TEST(spilledLoginCountsIncrementAndDecrement);
    CPPUNIT_TEST(spilledPcLoginDecidesStatus);
    CPPUNIT_TEST(removeConnectionOnSpilledUser);
    CPPUNIT_TEST(removeConnectionDropsSeveralSpilledLoginsAtOnce);
    CPPUNIT_TEST(spilledUserForgottenAndReinserted);
    CPPUNIT_TEST_SUITE_END();

public:
    void threeLoginsSpillAndComeBack()
    {
        ModelledRegistry modelled;
        const PresenceRegistry& registry = modelled.registry;
        auto step = [&](ConnectionId connection, std::uint32_t status, std::uint32_t type) {
            modelled.apply(connection, 100, status, type);
            modelled.checkAll("step");
        };
        modelled.apply(1, 99, kOnline, kWindows);
        step(1, kOnline, kIos);
        step(2, kOnline, kAndroid);
        step(3, kOnline, kWindows); // third distinct login: spills
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), registry.loginsOf(100).size());
        step(3, kOffline, kWindows); // back to two
        CPPUNIT_ASSERT(!registry.isOnline(100));
        step(3, kOnline, kWindows); // spills again
        CPPUNIT_ASSERT(registry.isOnline(100));
        step(1, kOffline, kIos);
        step(2, kOffline, kAndroid);
        step(3, kOffline, kWindows);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), registry.userCount());
        CPPUNIT_ASSERT(registry.isOnline(99));
    }

    void spilledLoginsRemovedInEveryOrder()
    {
        const std::vector<std::pair<ConnectionId, std::uint32_t>> all = {
            {1, kWindows}, {1, kAndroid}, {2, kMac}, {3, kIos}, {2, kWindows}};
        for (std::size_t n : {std::size_t(3), std::size_t(4), std::size_t(5)})
        {
            std::vector<std::size_t> order(n);
            for (std::size_t i = 0; i < n; ++i)
                order[i] = i;
            do
            {
                ModelledRegistry modelled;
                std::string where = std::to_string(n) + " logins, order";
                for (std::size_t i : order)
                    where += " " + std::to_string(i);
                // Neighbours, so the spilled user shares the table with inline ones.
                for (std::uint32_t other : {50u, 52u, 53u})
                    modelled.apply(1, other, kOnline, kWindows);
                for (std::size_t i = 0; i < n; ++i)
                    modelled.apply(all[i].first, 51, kOnline, all[i].second);
                modelled.checkAll(where + " after logins");
                for (std::size_t i : order)
                {
                    modelled.apply(all[i].first, 51, kOffline, all[i].second);
                    modelled.checkAll(where + " after removing " + std::to_string(i));
                }
                CPPUNIT_ASSERT_MESSAGE(where, modelled.registry.loginsOf(51).empty());
                CPPUNIT_ASSERT_EQUAL_MESSAGE(where, std::size_t(3), modelled.registry.userCount());
            } while (std::next_permutation(order.begin(), order.end()));
        }
    }

    void spilledLoginCountsIncrementAndDecrement()
    {
        ModelledRegistry modelled;
        const PresenceRegistry& registry = modelled.registry;
        auto apply = [&](ConnectionId connection, std::uint32_t status, std::uint32_t type) { modelled.apply(connection, 100, status, type); };
        apply(1, kOnline, kWindows);
        apply(2, kOnline, kWindows);
        apply(3, kOnline, kWindows);
        apply(4, kOnline, kIos);
        // Increment the spilled entries, including the ones that were inline before spilling.
        for (ConnectionId connection : {1u, 3u, 3u, 4u})
            apply(connection, kOnline, connection == 4 ? kIos : kWindows);
        modelled.checkAll("after increments");
        CPPUNIT_ASSERT_EQUAL(describe({{1, kWindows, 2}, {2, kWindows, 1}, {3, kWindows, 3}, {4, kIos, 2}}),
                             loginsOf(registry, 100));
        apply(3, kOffline, kWindows);
        apply(3, kOffline, kWindows);
        apply(2, kOffline, kWindows);
        modelled.checkAll("after decrements");
        CPPUNIT_ASSERT_EQUAL(describe({{1, kWindows, 2}, {3, kWindows, 1}, {4, kIos, 2}}), loginsOf(registry, 100));
        apply(9, kOffline, kWindows); // not hosted on 9: no-op while spilled
        apply(4, kOffline, kAndroid); // type not logged in: no-op while spilled
        modelled.checkAll("after no-ops");
        apply(1, kOffline, kWindows);
        apply(1, kOffline, kWindows);
        apply(1, kOffline, kWindows); // never below zero
        modelled.checkAll("after draining connection 1");
        CPPUNIT_ASSERT_EQUAL(describe({{3, kWindows, 1}, {4, kIos, 2}}), loginsOf(registry, 100));
    }

    void spilledPcLoginDecidesStatus()
    {
        PresenceRegistry registry;
        applyAll(registry, {{1, 100, kOnline, kIos}, {2, 100, kOnline, kAndroid}, {3, 100, kOnline, kIos}});
        CPPUNIT_ASSERT(!registry.isOnline(100));
        const PresenceOutcome pc = registry.apply(4, 100, kOnline, kMac); // the only PC login, fourth in line
        CPPUNIT_ASSERT(pc.pcOnline);
        CPPUNIT_ASSERT(registry.isOnline(100));
        std::vector<std::uint8_t> online;
        const std::uint32_t ids[] = {100};
        registry.queryOnline(ids, 1, online);
        CPPUNIT_ASSERT(online[0]);
        const PresenceOutcome pcGone = registry.apply(4, 100, kOffline, kMac);
        CPPUNIT_ASSERT(pcGone.known);
        CPPUNIT_ASSERT(!pcGone.pcOnline);
        CPPUNIT_ASSERT(!registry.isOnline(100));
    }

    void removeConnectionOnSpilledUser()
    {
        PresenceRegistry registry;
        applyAll(registry, {{1, 100, kOnline, kWindows}, {1, 100, kOnline, kIos}, {2, 100, kOnline, kWindows}, {3, 100, kOnline, kAndroid},
                            {3, 100, kOnline, kAndroid}});

        CPPUNIT_ASSERT(registry.removeConnection(1).empty()); // PC on 2 still
        CPPUNIT_ASSERT_EQUAL(describe({{2, kWindows, 1}, {3, kAndroid, 2}}), loginsOf(registry, 100));

        // Back inline; spilling again from there still works.
        registry.apply(4, 100, kOnline, kMac);
        CPPUNIT_ASSERT_EQUAL(describe({{2, kWindows, 1}, {3, kAndroid, 2}, {4, kMac, 1}}), loginsOf(registry, 100));

        CPPUNIT_ASSERT(registry.removeConnection(2).empty()); // PC on 4 still
        CPPUNIT_ASSERT_EQUAL(std::string("[ 100 still known ]"), describeLost(registry.removeConnection(4)));
        CPPUNIT_ASSERT_EQUAL(describe({{3, kAndroid, 2}}), loginsOf(registry, 100));
        CPPUNIT_ASSERT(registry.removeConnection(3).empty());
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), registry.userCount());
    }

    void removeConnectionDropsSeveralSpilledLoginsAtOnce()
    {
        PresenceRegistry registry;
        // Five logins, four of them on connection 1: one removal goes from spilled to one inline.
        applyAll(registry, {{1, 100, kOnline, kWindows}, {1, 100, kOnline, kMac}, {1, 100, kOnline, kIos}, {1, 100, kOnline, kAndroid},
                            {2, 100, kOnline, kAndroid}});
        CPPUNIT_ASSERT_EQUAL(std::string("[ 100 still known ]"), describeLost(registry.removeConnection(1)));
        CPPUNIT_ASSERT_EQUAL(describe({{2, kAndroid, 1}}), loginsOf(registry, 100));

        // All five on one connection: removal forgets the spilled user entirely.
        for (std::uint32_t type : {kWindows, kMac, kIos, kAndroid, 0x05u})
            registry.apply(7, 200, kOnline, type);
        CPPUNIT_ASSERT_EQUAL(std::string("[ 200 forgotten ]"), describeLost(registry.removeConnection(7)));
        CPPUNIT_ASSERT(registry.loginsOf(200).empty());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), registry.userCount());
    }

    void spilledUserForgottenAndReinserted()
    {
        // A spilled user's side entry must go with them, or a returning user would inherit it.
        PresenceRegistry registry;
        for (ConnectionId connection : {1u, 2u, 3u, 4u})
            registry.apply(connection, 100, kOnline, kWindows);
        for (ConnectionId connection : {4u, 2u, 1u, 3u})
            registry.apply(connection, 100, kOffline, kWindows);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), registry.userCount());
        registry.apply(5, 100, kOnline, kIos);
        CPPUNIT_ASSERT_EQUAL(describe({{5, kIos, 1}}), loginsOf(registry, 100));
        CPPUNIT_ASSERT(!registry.isOnline(100));

        for (ConnectionId connection : {1u, 2u, 3u})
            registry.apply(connection, 300, kOnline, kMac);
        registry.removeConnection(1);
        registry.removeConnection(2);
        registry.removeConnection(3);
        CPPUNIT_ASSERT(registry.loginsOf(300).empty());
        registry.apply(9, 300, kOnline, kAndroid);
        CPPUNIT_ASSERT_EQUAL(describe({{9, kAndroid, 1}}), loginsOf(registry, 300));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PresenceSpillTest);
