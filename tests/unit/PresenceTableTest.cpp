// The registry's open-addressing table under load: growing and shrinking with many users,
// sequential and spread ids, deletion keeping every probe run findable, random operations
// against the plain model, and resizes predicted by capacityAfter() and served by prepared slots.
#include "ModelledRegistry.h"
#include "PresenceText.h"
#include "ProtocolConstants.h"
#include "presence/PresenceRegistry.h"

#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <set>
#include <string>
#include <vector>

using ttroute::ConnectionId;
using ttroute::PresenceOutcome;
using ttroute::PresenceRegistry;
using namespace presencetest;
using namespace tttest::protocol;

namespace
{

/// After removals: even users that are multiples of `every` remain, with their status; the rest are gone.
void checkEvenUsers(const PresenceRegistry& registry, std::uint32_t users, std::uint32_t every)
{
    for (std::uint32_t user = 1; user <= users; ++user)
    {
        const bool kept = user % 2 == 0 && user % every == 0;
        if (!kept)
        {
            if (!registry.loginsOf(user).empty())
                CPPUNIT_FAIL("user " + std::to_string(user) + " was removed but is still known");
            continue;
        }
        const std::uint32_t type = user % 5 == 0 ? kAndroid : kWindows;
        const auto logins = registry.loginsOf(user);
        if (logins.size() != 1 || logins[0].connection != user % 3 + 1 || logins[0].clientType != type || logins[0].count != 1)
            CPPUNIT_FAIL("user " + std::to_string(user) + " has " + loginsOf(registry, user));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(std::to_string(user), type == kWindows, registry.isOnline(user));
    }
}

} // namespace

class PresenceTableTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(PresenceTableTest);
    CPPUNIT_TEST(manyUsersGrowAndShrink);
    CPPUNIT_TEST(manySpreadIdsGrowAndShrink);
    CPPUNIT_TEST(deletionInRandomOrderKeepsEveryoneFindable);
    CPPUNIT_TEST(removeConnectionOfManyUsersShrinksTable);
    CPPUNIT_TEST(randomOperationsMatchModel);
    CPPUNIT_TEST(capacityAfterPredictsEveryResize);
    CPPUNIT_TEST(preparedSlotsServeTheResizeTheyWereMadeFor);
    CPPUNIT_TEST_SUITE_END();

public:
    void manyUsersGrowAndShrink()
    {
        PresenceRegistry registry;
        constexpr std::uint32_t kUsers = 100000;
        for (std::uint32_t user = 1; user <= kUsers; ++user)
            registry.apply(user % 3 + 1, user, kOnline, user % 5 == 0 ? kAndroid : kWindows);
        CPPUNIT_ASSERT_EQUAL(std::size_t(kUsers), registry.userCount());
        for (std::uint32_t user = 1; user <= kUsers; ++user)
            CPPUNIT_ASSERT_EQUAL_MESSAGE(std::to_string(user), user % 5 != 0, registry.isOnline(user));

        // Remove every odd user: half.
        for (std::uint32_t user = 1; user <= kUsers; user += 2)
            registry.apply(user % 3 + 1, user, kOffline, user % 5 == 0 ? kAndroid : kWindows);
        CPPUNIT_ASSERT_EQUAL(std::size_t(kUsers / 2), registry.userCount());
        checkEvenUsers(registry, kUsers, 1);

        // Down to a few hundred: the table shrinks several times on the way.
        for (std::uint32_t user = 2; user <= kUsers; user += 2)
            if (user % 256 != 0)
                registry.apply(user % 3 + 1, user, kOffline, user % 5 == 0 ? kAndroid : kWindows);
        CPPUNIT_ASSERT_EQUAL(std::size_t(kUsers / 256), registry.userCount());
        checkEvenUsers(registry, kUsers, 256);

        // And grows again.
        for (std::uint32_t user = kUsers + 1; user <= kUsers + 20000; ++user)
            registry.apply(1, user, kOnline, kMac);
        CPPUNIT_ASSERT_EQUAL(std::size_t(kUsers / 256 + 20000), registry.userCount());
        checkEvenUsers(registry, kUsers, 256);
        for (std::uint32_t user = kUsers + 1; user <= kUsers + 20000; ++user)
            CPPUNIT_ASSERT_MESSAGE(std::to_string(user), registry.isOnline(user));
    }

    void manySpreadIdsGrowAndShrink()
    {
        // Ids far apart (and a multiplicative pattern) probe differently from sequential ones.
        PresenceRegistry registry;
        std::vector<std::uint32_t> ids;
        for (std::uint32_t i = 0; i < 100000; ++i)
            ids.push_back(i * 2654435761u + 17);
        std::set<std::uint32_t> unique(ids.begin(), ids.end());
        CPPUNIT_ASSERT_EQUAL(ids.size(), unique.size());
        for (std::uint32_t id : ids)
            registry.apply(1, id, kOnline, kWindows);
        CPPUNIT_ASSERT_EQUAL(ids.size(), registry.userCount());
        std::mt19937 random(42);
        std::shuffle(ids.begin(), ids.end(), random);
        const std::size_t kept = ids.size() / 2;
        for (std::size_t i = kept; i < ids.size(); ++i)
            registry.apply(1, ids[i], kOffline, kWindows);
        CPPUNIT_ASSERT_EQUAL(kept, registry.userCount());
        std::vector<std::uint8_t> online;
        registry.queryOnline(ids.data(), ids.size(), online);
        for (std::size_t i = 0; i < ids.size(); ++i)
            CPPUNIT_ASSERT_EQUAL_MESSAGE(std::to_string(ids[i]), i < kept, bool(online[i]));
        for (std::size_t i = 100; i < kept; ++i)
            registry.apply(1, ids[i], kOffline, kWindows);
        CPPUNIT_ASSERT_EQUAL(std::size_t(100), registry.userCount());
        registry.queryOnline(ids.data(), ids.size(), online);
        for (std::size_t i = 0; i < ids.size(); ++i)
            CPPUNIT_ASSERT_EQUAL_MESSAGE(std::to_string(ids[i]), i < 100, bool(online[i]));
    }

    void deletionInRandomOrderKeepsEveryoneFindable()
    {
        // Dense enough to form long probe runs (including ones wrapping past the table's end);
        // every deletion shifts entries back, so after each one everybody must still be found.
        std::mt19937 random(7);
        for (int round = 0; round < 3; ++round)
        {
            PresenceRegistry registry;
            std::vector<std::uint32_t> ids;
            std::set<std::uint32_t> seen;
            while (ids.size() < 700)
            {
                const std::uint32_t id = round == 0 ? static_cast<std::uint32_t>(ids.size() + 1) : static_cast<std::uint32_t>(random());
                if (seen.insert(id).second)
                    ids.push_back(id);
            }
            for (std::uint32_t id : ids)
                registry.apply(1, id, kOnline, kWindows);
            std::shuffle(ids.begin(), ids.end(), random);
            std::vector<std::uint8_t> online;
            for (std::size_t removed = 0; removed < ids.size(); ++removed)
            {
                registry.apply(1, ids[removed], kOffline, kWindows);
                registry.queryOnline(ids.data(), ids.size(), online);
                for (std::size_t i = 0; i < ids.size(); ++i)
                    if (bool(online[i]) != (i > removed))
                        CPPUNIT_FAIL("round " + std::to_string(round) + ": after removing " + std::to_string(removed + 1) +
                                     " users, user " + std::to_string(ids[i]) + " reads " + (online[i] ? "online" : "offline"));
                CPPUNIT_ASSERT_EQUAL(ids.size() - removed - 1, registry.userCount());
            }
        }
    }

    void removeConnectionOfManyUsersShrinksTable()
    {
        PresenceRegistry registry;
        constexpr std::uint32_t kUsers = 100000;
        for (std::uint32_t user = 1; user <= kUsers; ++user)
        {
            registry.apply(1, user, kOnline, kWindows);
            if (user % 4 == 0)
                registry.apply(2, user, kOnline, kIos);
            if (user % 10 == 0)
                registry.apply(3, user, kOnline, kMac);
        }
        registry.apply(2, kUsers + 1, kOnline, kWindows);
        // Erasing while walking connection 1's users shrinks the table under the walk.
        const auto lost = sortedLost(registry.removeConnection(1));
        std::size_t expectedLost = 0;
        for (std::uint32_t user = 1; user <= kUsers; ++user)
            if (user % 10 != 0)
                ++expectedLost;
        CPPUNIT_ASSERT_EQUAL(expectedLost, lost.size());
        std::size_t at = 0;
        for (std::uint32_t user = 1; user <= kUsers; ++user)
        {
            if (user % 10 == 0)
            {
                CPPUNIT_ASSERT(registry.isOnline(user));
                continue;
            }
            CPPUNIT_ASSERT_EQUAL(user, lost[at].first);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(std::to_string(user), user % 4 == 0, lost[at].second);
            ++at;
            CPPUNIT_ASSERT_EQUAL_MESSAGE(std::to_string(user), user % 4 == 0, !registry.loginsOf(user).empty());
            CPPUNIT_ASSERT(!registry.isOnline(user));
        }
        std::size_t expectedCount = 1;
        for (std::uint32_t user = 1; user <= kUsers; ++user)
            if (user % 4 == 0 || user % 10 == 0)
                ++expectedCount;
        CPPUNIT_ASSERT_EQUAL(expectedCount, registry.userCount());
        CPPUNIT_ASSERT(registry.isOnline(kUsers + 1));
    }

    void randomOperationsMatchModel()
    {
        // Small id and connection ranges so users often hold several (and spilled) logins.
        ModelledRegistry modelled;
        std::mt19937 random(20240611);
        const std::uint32_t types[] = {kWindows, kMac, kIos, kAndroid};
        for (int op = 0; op < 40000; ++op)
        {
            const std::uint32_t roll = random() % 100;
            const ConnectionId connection = random() % 6 + 1;
            if (roll == 0)
            {
                const auto expected = modelled.model.removeConnection(connection);
                const auto actual = sortedLost(modelled.registry.removeConnection(connection));
                CPPUNIT_ASSERT_MESSAGE("op " + std::to_string(op) + ": removeConnection " + std::to_string(connection),
                                       expected == actual);
                modelled.checkAll("op " + std::to_string(op));
                continue;
            }
            const std::uint32_t user = random() % 300;
            const std::uint32_t type = types[random() % 4];
            const std::uint32_t status = roll < 50 ? kOffline : (roll < 90 ? kOnline : kLeave);
            const PresenceOutcome outcome = modelled.apply(connection, user, status, type);
            const std::string where = "op " + std::to_string(op);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(where + ": known", !modelled.model.logins(user).empty(), outcome.known);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(where + ": pcOnline", modelled.model.isOnline(user), outcome.pcOnline);
            modelled.checkUser(user, where);
            if (op % 1000 == 0)
                modelled.checkAll(where);
        }
        modelled.checkAll("end");
    }

    void capacityAfterPredictsEveryResize()
    {
        // Grown one user at a time and shrunk again, the table resizes exactly when
        // capacityAfter(+1) or capacityAfter(-1) said it would (right after, it predicts no
        // resize for one more user), as often as its load limits (3/4, 1/8) allow.
        PresenceRegistry registry;
        std::size_t grows = 0, shrinks = 0;
        for (std::uint32_t user = 1; user <= 20000; ++user)
            if (registry.capacityAfter(1) != 0)
            {
                ++grows;
                CPPUNIT_ASSERT(registry.capacityAfter(1) > registry.capacityAfter(0));
                registry.apply(1, user, kOnline, kWindows);
                CPPUNIT_ASSERT_EQUAL_MESSAGE("right after growing at " + std::to_string(user), std::size_t(0), registry.capacityAfter(1));
            }
            else
                registry.apply(1, user, kOnline, kWindows);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), registry.capacityAfter(0));
        // 1024 → 2048 → … → 32768 slots for 20,000 users at most 3/4 full.
        CPPUNIT_ASSERT_EQUAL(std::size_t(5), grows);
        for (std::uint32_t user = 1; user <= 20000; ++user)
        {
            const bool predicted = registry.capacityAfter(-1) != 0;
            shrinks += predicted ? 1 : 0;
            registry.apply(1, user, kOffline, kWindows);
            if (predicted)
                CPPUNIT_ASSERT_EQUAL_MESSAGE("right after shrinking at " + std::to_string(user), std::size_t(0), registry.capacityAfter(-1));
        }
        // 32768 → 8192 → 2048 → 1024 (the least).
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), shrinks);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), registry.userCount());
        // A batch predicts the first resize it will cause.
        CPPUNIT_ASSERT_EQUAL(std::size_t(2048), registry.capacityAfter(1000));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), registry.capacityAfter(700));
    }

    void preparedSlotsServeTheResizeTheyWereMadeFor()
    {
        // Slots prepared for the coming growth, slots of a wrong size (dropped at the next
        // resize), and slots never used: every user stays findable with the right status.
        ModelledRegistry modelled;
        PresenceRegistry& registry = modelled.registry;
        for (std::uint32_t user = 1; user <= 30000; ++user)
        {
            if (const std::size_t capacity = registry.capacityAfter(1))
                registry.provideSlots(PresenceRegistry::prepareSlots(user % 2 ? capacity : capacity * 2));
            const std::uint32_t type = user % 3 ? kWindows : kAndroid;
            modelled.apply(user % 4 + 1, user, kOnline, type);
        }
        registry.provideSlots(PresenceRegistry::prepareSlots(1024)); // never used before the shrink below
        modelled.checkAll("grown");
        // Slots ready for the coming resize: nothing more to prepare for it.
        const std::size_t next = registry.capacityAfter(100000);
        CPPUNIT_ASSERT(next != 0);
        registry.provideSlots(PresenceRegistry::prepareSlots(next));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), registry.capacityAfter(100000));
        for (std::uint32_t user = 1; user <= 30000; user += 2)
        {
            if (const std::size_t capacity = registry.capacityAfter(-1))
                registry.provideSlots(PresenceRegistry::prepareSlots(capacity));
            const std::uint32_t type = user % 3 ? kWindows : kAndroid;
            modelled.apply(user % 4 + 1, user, kOffline, type);
        }
        modelled.checkAll("half gone");
        const auto expected = modelled.model.removeConnection(2);
        CPPUNIT_ASSERT(expected == sortedLost(registry.removeConnection(2)));
        modelled.checkAll("connection 2 gone");
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PresenceTableTest);
