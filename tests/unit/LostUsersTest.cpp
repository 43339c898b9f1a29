// LostUsers: what the router remembers of users lost with connections, held for the grace
// period, then remembered as announced until they come back.
#include "ProcessMemory.h"
#include "presence/LostUsers.h"

#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

using ttroute::LostUsers;
using Return = LostUsers::Return;

namespace
{

/// Holds `users` in a new loss of `peer`, completes it and returns its number.
std::uint64_t holdAll(LostUsers& lost, const std::string& peer, const std::vector<std::uint32_t>& users)
{
    std::uint64_t loss = 0;
    for (std::uint32_t user : users)
        loss = lost.hold(loss, peer, user);
    lost.complete(loss);
    return loss;
}

/// Expires the next loss as the router does: every user still held is announced, except
/// those in `online` (back by a path LostUsers did not see), which are released.
LostUsers::Loss& expireNext(LostUsers& lost, const std::vector<std::uint32_t>& online = {})
{
    LostUsers::Loss* loss = lost.nextToExpire();
    CPPUNIT_ASSERT(loss);
    for (std::uint32_t user : loss->users)
    {
        if (!lost.isHeld(user, *loss))
            continue;
        if (std::find(online.begin(), online.end(), user) != online.end())
            lost.released(user, *loss);
        else
            lost.announced(user, *loss);
    }
    lost.expired(*loss);
    return *loss;
}

} // namespace

class LostUsersTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(LostUsersTest);
    CPPUNIT_TEST(startsEmpty);
    CPPUNIT_TEST(heldUsersWaitUntilTheLossIsComplete);
    CPPUNIT_TEST(userBackDuringTheGraceIsNotAnnounced);
    CPPUNIT_TEST(announcedUsersAreRememberedUntilTheyComeBack);
    CPPUNIT_TEST(lossesExpireInTheOrderTheyHappened);
    CPPUNIT_TEST(releasedUsersAreForgotten);
    CPPUNIT_TEST(aUserLostAgainBelongsToTheLaterLoss);
    CPPUNIT_TEST(theOldestLossesAreForgottenWhenMemoryIsFull);
    CPPUNIT_TEST(lossesWithNobodyLeftAreForgotten);
    CPPUNIT_TEST(aMillionRememberedUsersTakeUnderFiftyBytesEach);
    CPPUNIT_TEST_SUITE_END();

public:
    void startsEmpty()
    {
        LostUsers lost;
        CPPUNIT_ASSERT(lost.empty());
        CPPUNIT_ASSERT(!lost.nextToExpire());
        CPPUNIT_ASSERT(Return::Unknown == lost.userBack(1));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), lost.heldUsers());
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), lost.rememberedUsers());
    }

    void heldUsersWaitUntilTheLossIsComplete()
    {
        LostUsers lost;
        const auto before = LostUsers::Clock::now();
        std::uint64_t loss = lost.hold(0, "peer #1", 10);
        loss = lost.hold(loss, "peer #1", 11);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), lost.heldUsers());
        CPPUNIT_ASSERT(!lost.empty());
        // Still being filled: not ready to expire.
        CPPUNIT_ASSERT(!lost.nextToExpire());
        lost.complete(loss);
        LostUsers::Loss* next = lost.nextToExpire();
        CPPUNIT_ASSERT(next);
        CPPUNIT_ASSERT_EQUAL(loss, next->id);
        CPPUNIT_ASSERT_EQUAL(std::string("peer #1"), next->peer);
        CPPUNIT_ASSERT(next->lostAt >= before && next->lostAt <= LostUsers::Clock::now());
        CPPUNIT_ASSERT((std::vector<std::uint32_t>{10, 11}) == next->users);
        CPPUNIT_ASSERT(lost.isHeld(10, *next) && lost.isHeld(11, *next));
    }

    void userBackDuringTheGraceIsNotAnnounced()
    {
        LostUsers lost;
        holdAll(lost, "peer #1", {10, 11, 12});
        CPPUNIT_ASSERT(Return::WasHeld == lost.userBack(11));
        CPPUNIT_ASSERT(Return::Unknown == lost.userBack(11)); // once
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), lost.heldUsers());
        LostUsers::Loss& loss = expireNext(lost);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), loss.cameBack);
        CPPUNIT_ASSERT((std::vector<std::uint32_t>{10, 12}) == loss.users);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), lost.heldUsers());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), lost.rememberedUsers());
    }

    void announcedUsersAreRememberedUntilTheyComeBack()
    {
        LostUsers lost;
        holdAll(lost, "peer #1", {10, 11});
        expireNext(lost);
        CPPUNIT_ASSERT(!lost.nextToExpire());
        CPPUNIT_ASSERT(Return::WasAnnounced == lost.userBack(10));
        CPPUNIT_ASSERT(Return::Unknown == lost.userBack(10));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), lost.rememberedUsers());
        CPPUNIT_ASSERT(Return::WasAnnounced == lost.userBack(11));
        CPPUNIT_ASSERT(lost.empty());
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), lost.rememberedUsers());
    }

    void lossesExpireInTheOrderTheyHappened()
    {
        LostUsers lost;
        // The first loss is still being filled when the second completes: neither may go first.
        const std::uint64_t first = lost.hold(0, "peer #1", 10);
        const std::uint64_t second = holdAll(lost, "peer #2", {20});
        CPPUNIT_ASSERT(first < second);
        CPPUNIT_ASSERT(!lost.nextToExpire());
        lost.complete(first);
        CPPUNIT_ASSERT_EQUAL(first, lost.nextToExpire()->id);
        CPPUNIT_ASSERT(lost.find(first)->lostAt <= lost.find(second)->lostAt);
        expireNext(lost);
        CPPUNIT_ASSERT_EQUAL(second, lost.nextToExpire()->id);
        expireNext(lost);
        CPPUNIT_ASSERT(!lost.nextToExpire());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), lost.rememberedUsers());
    }

    void releasedUsersAreForgotten()
    {
        LostUsers lost;
        holdAll(lost, "peer #1", {10, 11});
        LostUsers::Loss& loss = expireNext(lost, {11});
        CPPUNIT_ASSERT((std::vector<std::uint32_t>{10}) == loss.users);
        CPPUNIT_ASSERT(Return::Unknown == lost.userBack(11));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), lost.rememberedUsers());
    }

    void aUserLostAgainBelongsToTheLaterLoss()
    {
        LostUsers lost;
        holdAll(lost, "peer #1", {10});
        expireNext(lost);
        // Announced offline, then lost again with another connection without a return seen.
        const std::uint64_t later = holdAll(lost, "peer #2", {10});
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), lost.rememberedUsers());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), lost.heldUsers());
        CPPUNIT_ASSERT(lost.isHeld(10, *lost.find(later)));
        CPPUNIT_ASSERT(Return::WasHeld == lost.userBack(10));
        CPPUNIT_ASSERT(lost.empty());
    }

    void theOldestLossesAreForgottenWhenMemoryIsFull()
    {
        LostUsers lost(3);
        holdAll(lost, "peer #1", {10, 11});
        expireNext(lost);
        holdAll(lost, "peer #2", {20});
        expireNext(lost);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), lost.rememberedUsers());
        // A fourth user announced: the oldest loss goes whole.
        const std::uint64_t third = holdAll(lost, "peer #3", {30});
        expireNext(lost);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), lost.rememberedUsers());
        CPPUNIT_ASSERT(Return::Unknown == lost.userBack(10));
        CPPUNIT_ASSERT(Return::Unknown == lost.userBack(11));
        CPPUNIT_ASSERT(Return::WasAnnounced == lost.userBack(20));
        CPPUNIT_ASSERT(Return::WasAnnounced == lost.userBack(30));
        CPPUNIT_ASSERT(lost.empty());
        CPPUNIT_ASSERT(!lost.find(third)); // nobody of it left
    }

    void lossesWithNobodyLeftAreForgotten()
    {
        LostUsers lost;
        const std::uint64_t loss = holdAll(lost, "peer #1", {10});
        CPPUNIT_ASSERT(Return::WasHeld == lost.userBack(10));
        expireNext(lost);
        CPPUNIT_ASSERT(!lost.find(loss));
        CPPUNIT_ASSERT(!lost.nextToExpire());
    }

    void aMillionRememberedUsersTakeUnderFiftyBytesEach()
    {
        // The bound README and LostUsers.h promise for the memory of the return rule.
        constexpr std::uint32_t kUsers = 1000000;
        tttest::settleAllocator();
        const std::size_t before = tttest::liveHeapBytes();
        {
            LostUsers lost;
            std::uint64_t loss = 0;
            for (std::uint32_t user = 1; user <= kUsers; ++user)
                loss = lost.hold(loss, "peer #1", user * 7919); // spread, as real ids are
            lost.complete(loss);
            expireNext(lost);
            CPPUNIT_ASSERT_EQUAL(std::size_t(kUsers), lost.rememberedUsers());
            tttest::settleAllocator();
            const double perUser = static_cast<double>(tttest::liveHeapBytes() - before) / kUsers;
            CPPUNIT_ASSERT_MESSAGE(std::to_string(perUser) + " bytes per remembered user", perUser < 50);
        }
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(LostUsersTest);
