// The presence registry against protocol.md §4: login counting per connection and client type,
// ONLINE meaning "a PC login anywhere", connection removal (§7), and the table underneath
// (inline logins, the spill map, growth, shrinking and deletion) checked against a plain model.
#include "presence/PresenceRegistry.h"
#include "wire/ProtocolIds.h"

#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <tuple>
#include <utility>

using ttroute::ConnectionId;
using ttroute::Login;
using ttroute::LostUser;
using ttroute::PresenceOutcome;
using ttroute::PresenceRegistry;

namespace
{

constexpr std::uint32_t kOnline = ttroute::UserStatus::Online;
constexpr std::uint32_t kOffline = ttroute::UserStatus::Offline;
constexpr std::uint32_t kLeave = ttroute::UserStatus::Leave;

constexpr std::uint32_t kWindows = 0x01;
constexpr std::uint32_t kMac = 0x02;
constexpr std::uint32_t kIos = 0x11;
constexpr std::uint32_t kAndroid = 0x12;

/// (connection, client type, count), comparable and printable.
using LoginTuple = std::tuple<ConnectionId, std::uint32_t, std::uint32_t>;

std::vector<LoginTuple> sortedLogins(const PresenceRegistry& registry, std::uint32_t userId)
{
    std::vector<LoginTuple> out;
    for (const Login& login : registry.loginsOf(userId))
        out.emplace_back(login.connection, login.clientType, login.count);
    std::sort(out.begin(), out.end());
    return out;
}

std::string describe(const std::vector<LoginTuple>& logins)
{
    std::string out = "[";
    for (const auto& [connection, type, count] : logins)
        out += " (" + std::to_string(connection) + "," + std::to_string(type) + "," + std::to_string(count) + ")";
    return out + " ]";
}

/// The user ids of `lost` with their stillKnown flag, sorted: removeConnection promises no order.
std::vector<std::pair<std::uint32_t, bool>> sortedLost(const std::vector<LostUser>& lost)
{
    std::vector<std::pair<std::uint32_t, bool>> out;
    for (const LostUser& user : lost)
        out.emplace_back(user.userId, user.stillKnown);
    std::sort(out.begin(), out.end());
    return out;
}

/// protocol.md §4 written out as plainly as possible, to compare the registry with.
class Model
{
public:
    void apply(ConnectionId connection, std::uint32_t userId, std::uint32_t status, std::uint32_t clientType)
    {
        const auto key = std::make_pair(connection, clientType);
        if (status != kOffline)
        {
            ++users_[userId][key];
            return;
        }
        auto user = users_.find(userId);
        if (user == users_.end())
            return;
        auto login = user->second.find(key);
        if (login == user->second.end())
            return;
        if (--login->second == 0)
            user->second.erase(login);
        if (user->second.empty())
            users_.erase(user);
    }

    std::vector<std::pair<std::uint32_t, bool>> removeConnection(ConnectionId connection)
    {
        std::vector<std::pair<std::uint32_t, bool>> lost;
        for (auto user = users_.begin(); user != users_.end();)
        {
            bool hadPc = false;
            for (auto login = user->second.begin(); login != user->second.end();)
            {
                if (login->first.first == connection)
                {
                    hadPc = hadPc || ttroute::isPcClientType(login->first.second);
                    login = user->second.erase(login);
                }
                else
                    ++login;
            }
            const bool stillKnown = !user->second.empty();
            if (hadPc && !hasPc(user->second))
                lost.emplace_back(user->first, stillKnown);
            user = stillKnown ? std::next(user) : users_.erase(user);
        }
        std::sort(lost.begin(), lost.end());
        return lost;
    }

    bool isOnline(std::uint32_t userId) const
    {
        auto user = users_.find(userId);
        return user != users_.end() && hasPc(user->second);
    }

    std::vector<LoginTuple> logins(std::uint32_t userId) const
    {
        std::vector<LoginTuple> out;
        auto user = users_.find(userId);
        if (user != users_.end())
            for (const auto& [key, count] : user->second)
                out.emplace_back(key.first, key.second, count);
        std::sort(out.begin(), out.end());
        return out;
    }

    std::size_t userCount() const { return users_.size(); }

    /// Users with at least one login through `connection`.
    std::size_t usersHostedBy(ConnectionId connection) const
    {
        std::size_t hosted = 0;
        for (const auto& user : users_)
            hosted += std::any_of(user.second.begin(), user.second.end(),
                                  [&](const auto& login) { return login.first.first == connection; });
        return hosted;
    }

    /// Logins through `connection`, counts summed (or, with `users`, users having one), by client-type slot.
    std::vector<std::uint64_t> loginsOn(ConnectionId connection, bool users = false) const
    {
        std::vector<std::uint64_t> logins(ttroute::kClientTypeSlots, 0);
        for (const auto& user : users_)
            for (const auto& [key, count] : user.second)
                if (key.first == connection && count > 0)
                    logins[ttroute::clientTypeSlot(key.second)] += users ? 1 : count;
        return logins;
    }

    const auto& users() const { return users_; }

private:
    using Logins = std::map<std::pair<ConnectionId, std::uint32_t>, std::uint32_t>;

    static bool hasPc(const Logins& logins)
    {
        for (const auto& entry : logins)
            if (ttroute::isPcClientType(entry.first.second))
                return true;
        return false;
    }

    std::map<std::uint32_t, Logins> users_;
};

/// Checks one user of `registry` against `model`: their logins and their status.
void checkUser(const PresenceRegistry& registry, const Model& model, std::uint32_t userId, const std::string& where)
{
    const auto expected = model.logins(userId);
    const auto actual = sortedLogins(registry, userId);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(where + ": logins of " + std::to_string(userId), describe(expected), describe(actual));
    CPPUNIT_ASSERT_EQUAL_MESSAGE(where + ": status of " + std::to_string(userId), model.isOnline(userId), registry.isOnline(userId));
}

void checkAll(const PresenceRegistry& registry, const Model& model, const std::string& where)
{
    CPPUNIT_ASSERT_EQUAL_MESSAGE(where + ": userCount", model.userCount(), registry.userCount());
    // The model test's connections are 1 to 6; usersOn() of a lost connection relies on the count.
    for (ConnectionId connection = 1; connection <= 6; ++connection)
    {
        const std::string which = where + ": users hosted by " + std::to_string(connection);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(which, model.usersHostedBy(connection), registry.usersHostedBy(connection));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(which, model.usersHostedBy(connection), registry.usersOn(connection).size());
        const ttroute::ConnectionPresence counted = registry.presenceOf(connection);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(which, model.usersHostedBy(connection), counted.users);
        const std::vector<std::uint64_t> logins(counted.logins, counted.logins + ttroute::kClientTypeSlots);
        CPPUNIT_ASSERT_MESSAGE(which + ": logins by client type", model.loginsOn(connection) == logins);
        const std::vector<std::uint64_t> users(counted.usersByType, counted.usersByType + ttroute::kClientTypeSlots);
        CPPUNIT_ASSERT_MESSAGE(which + ": users by client type", model.loginsOn(connection, true) == users);
    }
    for (const auto& entry : model.users())
        checkUser(registry, model, entry.first, where);
}

} // namespace

class PresenceRegistryTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(PresenceRegistryTest);
    CPPUNIT_TEST(emptyRegistryKnowsNobody);
    CPPUNIT_TEST(loginIncrementsCountForConnectionAndType);
    CPPUNIT_TEST(offlineDecrementsCount);
    CPPUNIT_TEST(offlineNeverGoesBelowZero);
    CPPUNIT_TEST(offlineForUnknownUserIsNoOp);
    CPPUNIT_TEST(offlineFromConnectionNotHostingUserIsNoOp);
    CPPUNIT_TEST(offlineForTypeNotLoggedInIsNoOp);
    CPPUNIT_TEST(userForgottenWhenNoConnectionHostsThem);
    CPPUNIT_TEST(connectionStopsHostingWhenItsLoginsAreGone);
    CPPUNIT_TEST(pcLoginMakesUserOnline);
    CPPUNIT_TEST(everyPcTypeCountsAsPc);
    CPPUNIT_TEST(mobileOnlyUserIsOffline);
    CPPUNIT_TEST(leaveCountsAsLogin);
    CPPUNIT_TEST(leaveOnMobileKeepsUserOffline);
    CPPUNIT_TEST(leaveThenOfflineReleasesTheLogin);
    CPPUNIT_TEST(twoPcLoginsOfOneTypeOnOneConnection);
    CPPUNIT_TEST(pcAndMobileLogins);
    CPPUNIT_TEST(sameUserOnTwoConnections);
    CPPUNIT_TEST(applyReportsOutcome);
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
    CPPUNIT_TEST(threeLoginsSpillAndComeBack);
    CPPUNIT_TEST(spilledLoginsRemovedInEveryOrder);
    CPPUNIT_TEST(spilledLoginCountsIncrementAndDecrement);
    CPPUNIT_TEST(spilledPcLoginDecidesStatus);
    CPPUNIT_TEST(removeConnectionOnSpilledUser);
    CPPUNIT_TEST(removeConnectionDropsSeveralSpilledLoginsAtOnce);
    CPPUNIT_TEST(spilledUserForgottenAndReinserted);
    CPPUNIT_TEST(manyUsersGrowAndShrink);
    CPPUNIT_TEST(manySpreadIdsGrowAndShrink);
    CPPUNIT_TEST(deletionInRandomOrderKeepsEveryoneFindable);
    CPPUNIT_TEST(removeConnectionOfManyUsersShrinksTable);
    CPPUNIT_TEST(randomOperationsMatchModel);
    CPPUNIT_TEST(capacityAfterPredictsEveryResize);
    CPPUNIT_TEST(preparedSlotsServeTheResizeTheyWereMadeFor);
    CPPUNIT_TEST(userCountTracksDistinctUsers);
    CPPUNIT_TEST_SUITE_END();

public:
    void emptyRegistryKnowsNobody()
    {
        PresenceRegistry registry;
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), registry.userCount());
        CPPUNIT_ASSERT(!registry.isOnline(1));
        CPPUNIT_ASSERT(!registry.isOnline(0));
        CPPUNIT_ASSERT(registry.loginsOf(1).empty());
        CPPUNIT_ASSERT(registry.removeConnection(1).empty());
    }

    void loginIncrementsCountForConnectionAndType()
    {
        PresenceRegistry registry;
        registry.apply(1, 100, kOnline, kWindows);
        CPPUNIT_ASSERT_EQUAL(describe({{1, kWindows, 1}}), describe(sortedLogins(registry, 100)));
        registry.apply(1, 100, kOnline, kWindows);
        registry.apply(1, 100, kOnline, kWindows);
        CPPUNIT_ASSERT_EQUAL(describe({{1, kWindows, 3}}), describe(sortedLogins(registry, 100)));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), registry.userCount());
    }

    void offlineDecrementsCount()
    {
        PresenceRegistry registry;
        for (int i = 0; i < 3; ++i)
            registry.apply(1, 100, kOnline, kWindows);
        registry.apply(1, 100, kOffline, kWindows);
        CPPUNIT_ASSERT_EQUAL(describe({{1, kWindows, 2}}), describe(sortedLogins(registry, 100)));
        CPPUNIT_ASSERT(registry.isOnline(100));
        registry.apply(1, 100, kOffline, kWindows);
        CPPUNIT_ASSERT_EQUAL(describe({{1, kWindows, 1}}), describe(sortedLogins(registry, 100)));
        CPPUNIT_ASSERT(registry.isOnline(100));
        registry.apply(1, 100, kOffline, kWindows);
        CPPUNIT_ASSERT(registry.loginsOf(100).empty());
        CPPUNIT_ASSERT(!registry.isOnline(100));
    }

    void offlineNeverGoesBelowZero()
    {
        PresenceRegistry registry;
        registry.apply(1, 100, kOnline, kWindows);
        registry.apply(1, 100, kOnline, kAndroid); // keeps the user known while the PC count is at zero
        registry.apply(1, 100, kOffline, kWindows);
        registry.apply(1, 100, kOffline, kWindows);
        registry.apply(1, 100, kOffline, kWindows);
        CPPUNIT_ASSERT_EQUAL(describe({{1, kAndroid, 1}}), describe(sortedLogins(registry, 100)));
        // A count that went below zero would swallow this login.
        registry.apply(1, 100, kOnline, kWindows);
        CPPUNIT_ASSERT_EQUAL(describe({{1, kWindows, 1}, {1, kAndroid, 1}}), describe(sortedLogins(registry, 100)));
        CPPUNIT_ASSERT(registry.isOnline(100));
    }

    void offlineForUnknownUserIsNoOp()
    {
        PresenceRegistry registry;
        registry.apply(1, 100, kOnline, kWindows);
        const PresenceOutcome outcome = registry.apply(1, 200, kOffline, kWindows);
        CPPUNIT_ASSERT(!outcome.known);
        CPPUNIT_ASSERT(!outcome.pcOnline);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), registry.userCount());
        CPPUNIT_ASSERT(registry.loginsOf(200).empty());
        // And it leaves nothing behind that a later login would have to cancel.
        registry.apply(1, 200, kOnline, kWindows);
        CPPUNIT_ASSERT_EQUAL(describe({{1, kWindows, 1}}), describe(sortedLogins(registry, 200)));
        CPPUNIT_ASSERT_EQUAL(describe({{1, kWindows, 1}}), describe(sortedLogins(registry, 100)));
    }

    void offlineFromConnectionNotHostingUserIsNoOp()
    {
        PresenceRegistry registry;
        registry.apply(1, 100, kOnline, kWindows);
        const PresenceOutcome outcome = registry.apply(2, 100, kOffline, kWindows);
        CPPUNIT_ASSERT(outcome.known);
        CPPUNIT_ASSERT(outcome.pcOnline);
        CPPUNIT_ASSERT_EQUAL(describe({{1, kWindows, 1}}), describe(sortedLogins(registry, 100)));
        CPPUNIT_ASSERT(registry.isOnline(100));
        // Connection 2 owes nothing: its first login counts as one.
        registry.apply(2, 100, kOnline, kWindows);
        CPPUNIT_ASSERT_EQUAL(describe({{1, kWindows, 1}, {2, kWindows, 1}}), describe(sortedLogins(registry, 100)));
    }

    void offlineForTypeNotLoggedInIsNoOp()
    {
        PresenceRegistry registry;
        registry.apply(1, 100, kOnline, kWindows);
        registry.apply(1, 100, kOffline, kMac);
        registry.apply(1, 100, kOffline, kIos);
        CPPUNIT_ASSERT_EQUAL(describe({{1, kWindows, 1}}), describe(sortedLogins(registry, 100)));
        CPPUNIT_ASSERT(registry.isOnline(100));
    }

    void userForgottenWhenNoConnectionHostsThem()
    {
        PresenceRegistry registry;
        registry.apply(1, 100, kOnline, kWindows);
        registry.apply(2, 100, kOnline, kIos);
        registry.apply(1, 101, kOnline, kWindows);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), registry.userCount());
        registry.apply(1, 100, kOffline, kWindows);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), registry.userCount());
        const PresenceOutcome outcome = registry.apply(2, 100, kOffline, kIos);
        CPPUNIT_ASSERT(!outcome.known);
        CPPUNIT_ASSERT(!outcome.pcOnline);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), registry.userCount());
        CPPUNIT_ASSERT(registry.loginsOf(100).empty());
        CPPUNIT_ASSERT(registry.isOnline(101));
    }

    void connectionStopsHostingWhenItsLoginsAreGone()
    {
        PresenceRegistry registry;
        registry.apply(1, 100, kOnline, kWindows);
        registry.apply(2, 100, kOnline, kAndroid);
        registry.apply(1, 100, kOffline, kWindows);
        CPPUNIT_ASSERT_EQUAL(describe({{2, kAndroid, 1}}), describe(sortedLogins(registry, 100)));
        // Connection 1 no longer hosts the user, so its loss changes nothing for them.
        CPPUNIT_ASSERT(registry.removeConnection(1).empty());
        CPPUNIT_ASSERT_EQUAL(describe({{2, kAndroid, 1}}), describe(sortedLogins(registry, 100)));
    }

    void pcLoginMakesUserOnline()
    {
        PresenceRegistry registry;
        CPPUNIT_ASSERT(!registry.isOnline(100));
        registry.apply(1, 100, kOnline, kWindows);
        CPPUNIT_ASSERT(registry.isOnline(100));
        registry.apply(1, 100, kOffline, kWindows);
        CPPUNIT_ASSERT(!registry.isOnline(100));
    }

    void everyPcTypeCountsAsPc()
    {
        // (type & 0x10) == 0 is PC, whatever the other bits: not only the two named types.
        PresenceRegistry registry;
        const std::uint32_t pcTypes[] = {kWindows, kMac, 0x00, 0x03, 0x0F, 0x20, 0x21};
        const std::uint32_t mobileTypes[] = {kIos, kAndroid, 0x10, 0x1F, 0x30};
        std::uint32_t user = 1000;
        for (std::uint32_t type : pcTypes)
        {
            registry.apply(1, ++user, kOnline, type);
            CPPUNIT_ASSERT_MESSAGE("type " + std::to_string(type), registry.isOnline(user));
        }
        for (std::uint32_t type : mobileTypes)
        {
            registry.apply(1, ++user, kOnline, type);
            CPPUNIT_ASSERT_MESSAGE("type " + std::to_string(type), !registry.isOnline(user));
            CPPUNIT_ASSERT_EQUAL(describe({{1, type, 1}}), describe(sortedLogins(registry, user)));
        }
    }

    void mobileOnlyUserIsOffline()
    {
        PresenceRegistry registry;
        const PresenceOutcome ios = registry.apply(1, 100, kOnline, kIos);
        CPPUNIT_ASSERT(ios.known);
        CPPUNIT_ASSERT(!ios.pcOnline);
        registry.apply(2, 100, kOnline, kAndroid);
        CPPUNIT_ASSERT(!registry.isOnline(100));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), registry.userCount());
        CPPUNIT_ASSERT_EQUAL(describe({{1, kIos, 1}, {2, kAndroid, 1}}), describe(sortedLogins(registry, 100)));
    }

    void leaveCountsAsLogin()
    {
        PresenceRegistry registry;
        const PresenceOutcome outcome = registry.apply(1, 100, kLeave, kWindows);
        CPPUNIT_ASSERT(outcome.known);
        CPPUNIT_ASSERT(outcome.pcOnline);
        CPPUNIT_ASSERT(registry.isOnline(100));
        registry.apply(1, 100, kLeave, kWindows);
        CPPUNIT_ASSERT_EQUAL(describe({{1, kWindows, 2}}), describe(sortedLogins(registry, 100)));
        registry.apply(1, 100, kOnline, kWindows);
        CPPUNIT_ASSERT_EQUAL(describe({{1, kWindows, 3}}), describe(sortedLogins(registry, 100)));
    }

    void leaveOnMobileKeepsUserOffline()
    {
        PresenceRegistry registry;
        registry.apply(1, 100, kLeave, kAndroid);
        CPPUNIT_ASSERT(!registry.isOnline(100));
        CPPUNIT_ASSERT_EQUAL(describe({{1, kAndroid, 1}}), describe(sortedLogins(registry, 100)));
    }

    void leaveThenOfflineReleasesTheLogin()
    {
        PresenceRegistry registry;
        registry.apply(1, 100, kLeave, kMac);
        registry.apply(1, 100, kOffline, kMac);
        CPPUNIT_ASSERT(!registry.isOnline(100));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), registry.userCount());
    }

    void twoPcLoginsOfOneTypeOnOneConnection()
    {
        PresenceRegistry registry;
        registry.apply(1, 100, kOnline, kWindows);
        registry.apply(1, 100, kOnline, kWindows);
        const PresenceOutcome first = registry.apply(1, 100, kOffline, kWindows);
        CPPUNIT_ASSERT(first.known);
        CPPUNIT_ASSERT(first.pcOnline);
        CPPUNIT_ASSERT(registry.isOnline(100));
        const PresenceOutcome second = registry.apply(1, 100, kOffline, kWindows);
        CPPUNIT_ASSERT(!second.known);
        CPPUNIT_ASSERT(!registry.isOnline(100));
    }

    void pcAndMobileLogins()
    {
        PresenceRegistry registry;
        registry.apply(1, 100, kOnline, kWindows);
        registry.apply(1, 100, kOnline, kIos);
        CPPUNIT_ASSERT(registry.isOnline(100));
        CPPUNIT_ASSERT_EQUAL(describe({{1, kWindows, 1}, {1, kIos, 1}}), describe(sortedLogins(registry, 100)));

        const PresenceOutcome pcGone = registry.apply(1, 100, kOffline, kWindows);
        CPPUNIT_ASSERT(pcGone.known);
        CPPUNIT_ASSERT(!pcGone.pcOnline);
        CPPUNIT_ASSERT(!registry.isOnline(100));

        const PresenceOutcome pcBack = registry.apply(1, 100, kOnline, kMac);
        CPPUNIT_ASSERT(pcBack.known);
        CPPUNIT_ASSERT(pcBack.pcOnline);

        const PresenceOutcome mobileGone = registry.apply(1, 100, kOffline, kIos);
        CPPUNIT_ASSERT(mobileGone.known);
        CPPUNIT_ASSERT(mobileGone.pcOnline);
        CPPUNIT_ASSERT_EQUAL(describe({{1, kMac, 1}}), describe(sortedLogins(registry, 100)));
    }

    void sameUserOnTwoConnections()
    {
        PresenceRegistry registry;
        registry.apply(1, 100, kOnline, kWindows);
        registry.apply(2, 100, kOnline, kWindows);
        CPPUNIT_ASSERT_EQUAL(describe({{1, kWindows, 1}, {2, kWindows, 1}}), describe(sortedLogins(registry, 100)));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), registry.userCount());
        // Counts are per connection: connection 2's logout does not touch connection 1's login.
        registry.apply(2, 100, kOffline, kWindows);
        CPPUNIT_ASSERT(registry.isOnline(100));
        CPPUNIT_ASSERT_EQUAL(describe({{1, kWindows, 1}}), describe(sortedLogins(registry, 100)));
        registry.apply(2, 100, kOffline, kWindows);
        CPPUNIT_ASSERT(registry.isOnline(100));
        registry.apply(1, 100, kOffline, kWindows);
        CPPUNIT_ASSERT(!registry.isOnline(100));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), registry.userCount());
    }

    void applyReportsOutcome()
    {
        PresenceRegistry registry;
        auto check = [&](PresenceOutcome outcome, bool known, bool pcOnline, const char* what) {
            CPPUNIT_ASSERT_EQUAL_MESSAGE(std::string(what) + ": known", known, outcome.known);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(std::string(what) + ": pcOnline", pcOnline, outcome.pcOnline);
        };
        check(registry.apply(1, 7, kOnline, kAndroid), true, false, "mobile login");
        check(registry.apply(2, 7, kOnline, kWindows), true, true, "pc login elsewhere");
        check(registry.apply(2, 7, kOnline, kWindows), true, true, "second pc login");
        check(registry.apply(2, 7, kOffline, kWindows), true, true, "one pc logout of two");
        check(registry.apply(2, 7, kOffline, kWindows), true, false, "last pc logout, mobile left");
        check(registry.apply(2, 7, kOffline, kWindows), true, false, "pc logout with nothing to log out");
        check(registry.apply(1, 7, kOffline, kAndroid), false, false, "last logout");
        check(registry.apply(1, 7, kOffline, kAndroid), false, false, "logout of unknown user");
    }

    void removeConnectionReturnsUsersWhoLostLastPcLogin()
    {
        PresenceRegistry registry;
        registry.apply(1, 10, kOnline, kWindows); // PC only on 1: lost, forgotten
        registry.apply(1, 11, kOnline, kWindows); // PC on 1, mobile on 2: lost, still known
        registry.apply(2, 11, kOnline, kIos);
        registry.apply(1, 12, kOnline, kWindows); // PC on 1 and 2: not lost
        registry.apply(2, 12, kOnline, kMac);
        registry.apply(1, 13, kOnline, kAndroid); // mobile only on 1: not lost (was never online), forgotten
        registry.apply(2, 14, kOnline, kWindows); // not on 1 at all
        registry.apply(1, 15, kOnline, kWindows); // PC and mobile both on 1: lost, forgotten
        registry.apply(1, 15, kOnline, kAndroid);
        registry.apply(1, 16, kLeave, kMac);      // LEAVE is a PC login too
        registry.apply(3, 16, kOnline, kAndroid);
        registry.apply(1, 16, kOnline, kAndroid);

        const auto lost = sortedLost(registry.removeConnection(1));
        const std::vector<std::pair<std::uint32_t, bool>> expected = {{10, false}, {11, true}, {15, false}, {16, true}};
        CPPUNIT_ASSERT_EQUAL(expected.size(), lost.size());
        CPPUNIT_ASSERT(expected == lost);

        CPPUNIT_ASSERT(registry.loginsOf(10).empty());
        CPPUNIT_ASSERT_EQUAL(describe({{2, kIos, 1}}), describe(sortedLogins(registry, 11)));
        CPPUNIT_ASSERT_EQUAL(describe({{2, kMac, 1}}), describe(sortedLogins(registry, 12)));
        CPPUNIT_ASSERT(registry.isOnline(12));
        CPPUNIT_ASSERT(registry.loginsOf(13).empty());
        CPPUNIT_ASSERT_EQUAL(describe({{2, kWindows, 1}}), describe(sortedLogins(registry, 14)));
        CPPUNIT_ASSERT(registry.loginsOf(15).empty());
        CPPUNIT_ASSERT_EQUAL(describe({{3, kAndroid, 1}}), describe(sortedLogins(registry, 16)));
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), registry.userCount());
    }

    void removeConnectionLeavesOtherConnectionsIntact()
    {
        PresenceRegistry registry;
        registry.apply(1, 100, kOnline, kWindows);
        registry.apply(1, 100, kOnline, kWindows);
        registry.apply(2, 100, kOnline, kWindows);
        registry.apply(2, 100, kOnline, kIos);
        registry.apply(3, 200, kOnline, kMac);
        registry.apply(3, 200, kOnline, kMac);
        registry.removeConnection(2);
        CPPUNIT_ASSERT_EQUAL(describe({{1, kWindows, 2}}), describe(sortedLogins(registry, 100)));
        CPPUNIT_ASSERT_EQUAL(describe({{3, kMac, 2}}), describe(sortedLogins(registry, 200)));
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
        const auto lost = sortedLost(registry.removeConnection(2));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), lost.size());
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(100), lost[0].first);
        CPPUNIT_ASSERT(!lost[0].second);
    }

    void removeConnectionOfUnknownConnection()
    {
        PresenceRegistry registry;
        registry.apply(1, 100, kOnline, kWindows);
        CPPUNIT_ASSERT(registry.removeConnection(9).empty());
        CPPUNIT_ASSERT_EQUAL(describe({{1, kWindows, 1}}), describe(sortedLogins(registry, 100)));
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
        registry.apply(1, 1, kOnline, kWindows);
        registry.apply(1, 2, kOnline, kIos);
        registry.apply(2, 3, kLeave, kMac);
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
        registry.apply(1, 100, kOnline, kWindows);
        registry.apply(1, 100, kOnline, kWindows);
        registry.apply(2, 100, kOnline, kWindows);
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
        registry.apply(1, 0, kOnline, kWindows);
        registry.apply(1, 0xFFFFFFFFu, kOnline, kIos);
        registry.apply(0, 7, kOnline, kWindows);
        registry.apply(0xFFFFFFFFu, 8, kOnline, kMac);
        CPPUNIT_ASSERT(registry.isOnline(0));
        CPPUNIT_ASSERT(!registry.isOnline(0xFFFFFFFFu));
        CPPUNIT_ASSERT_EQUAL(describe({{1, kIos, 1}}), describe(sortedLogins(registry, 0xFFFFFFFFu)));
        CPPUNIT_ASSERT_EQUAL(describe({{0, kWindows, 1}}), describe(sortedLogins(registry, 7)));
        CPPUNIT_ASSERT_EQUAL(describe({{0xFFFFFFFFu, kMac, 1}}), describe(sortedLogins(registry, 8)));
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), registry.userCount());
        const auto lostOnZero = sortedLost(registry.removeConnection(0));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), lostOnZero.size());
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(7), lostOnZero[0].first);
        registry.apply(1, 0, kOffline, kWindows);
        CPPUNIT_ASSERT(!registry.isOnline(0));
        CPPUNIT_ASSERT(registry.loginsOf(0).empty());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), registry.userCount());
    }

    void threeLoginsSpillAndComeBack()
    {
        PresenceRegistry registry;
        Model model;
        auto step = [&](ConnectionId connection, std::uint32_t status, std::uint32_t type) {
            registry.apply(connection, 100, status, type);
            model.apply(connection, 100, status, type);
            checkAll(registry, model, "step");
        };
        registry.apply(1, 99, kOnline, kWindows);
        model.apply(1, 99, kOnline, kWindows);
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
                PresenceRegistry registry;
                Model model;
                std::string where = std::to_string(n) + " logins, order";
                for (std::size_t i : order)
                    where += " " + std::to_string(i);
                // Neighbours, so the spilled user shares the table with inline ones.
                for (std::uint32_t other : {50u, 52u, 53u})
                {
                    registry.apply(1, other, kOnline, kWindows);
                    model.apply(1, other, kOnline, kWindows);
                }
                for (std::size_t i = 0; i < n; ++i)
                {
                    registry.apply(all[i].first, 51, kOnline, all[i].second);
                    model.apply(all[i].first, 51, kOnline, all[i].second);
                }
                checkAll(registry, model, where + " after logins");
                for (std::size_t i : order)
                {
                    registry.apply(all[i].first, 51, kOffline, all[i].second);
                    model.apply(all[i].first, 51, kOffline, all[i].second);
                    checkAll(registry, model, where + " after removing " + std::to_string(i));
                }
                CPPUNIT_ASSERT_MESSAGE(where, registry.loginsOf(51).empty());
                CPPUNIT_ASSERT_EQUAL_MESSAGE(where, std::size_t(3), registry.userCount());
            } while (std::next_permutation(order.begin(), order.end()));
        }
    }

    void spilledLoginCountsIncrementAndDecrement()
    {
        PresenceRegistry registry;
        Model model;
        auto apply = [&](ConnectionId connection, std::uint32_t status, std::uint32_t type) {
            registry.apply(connection, 100, status, type);
            model.apply(connection, 100, status, type);
        };
        apply(1, kOnline, kWindows);
        apply(2, kOnline, kWindows);
        apply(3, kOnline, kWindows);
        apply(4, kOnline, kIos);
        // Increment the spilled entries, including the ones that were inline before spilling.
        for (ConnectionId connection : {1u, 3u, 3u, 4u})
            apply(connection, kOnline, connection == 4 ? kIos : kWindows);
        checkAll(registry, model, "after increments");
        CPPUNIT_ASSERT_EQUAL(describe({{1, kWindows, 2}, {2, kWindows, 1}, {3, kWindows, 3}, {4, kIos, 2}}),
                             describe(sortedLogins(registry, 100)));
        apply(3, kOffline, kWindows);
        apply(3, kOffline, kWindows);
        apply(2, kOffline, kWindows);
        checkAll(registry, model, "after decrements");
        CPPUNIT_ASSERT_EQUAL(describe({{1, kWindows, 2}, {3, kWindows, 1}, {4, kIos, 2}}), describe(sortedLogins(registry, 100)));
        apply(9, kOffline, kWindows); // not hosted on 9: no-op while spilled
        apply(4, kOffline, kAndroid); // type not logged in: no-op while spilled
        checkAll(registry, model, "after no-ops");
        apply(1, kOffline, kWindows);
        apply(1, kOffline, kWindows);
        apply(1, kOffline, kWindows); // never below zero
        checkAll(registry, model, "after draining connection 1");
        CPPUNIT_ASSERT_EQUAL(describe({{3, kWindows, 1}, {4, kIos, 2}}), describe(sortedLogins(registry, 100)));
    }

    void spilledPcLoginDecidesStatus()
    {
        PresenceRegistry registry;
        registry.apply(1, 100, kOnline, kIos);
        registry.apply(2, 100, kOnline, kAndroid);
        registry.apply(3, 100, kOnline, kIos);
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
        registry.apply(1, 100, kOnline, kWindows);
        registry.apply(1, 100, kOnline, kIos);
        registry.apply(2, 100, kOnline, kWindows);
        registry.apply(3, 100, kOnline, kAndroid);
        registry.apply(3, 100, kOnline, kAndroid);

        CPPUNIT_ASSERT(registry.removeConnection(1).empty()); // PC on 2 still
        CPPUNIT_ASSERT_EQUAL(describe({{2, kWindows, 1}, {3, kAndroid, 2}}), describe(sortedLogins(registry, 100)));

        // Back inline; spilling again from there still works.
        registry.apply(4, 100, kOnline, kMac);
        CPPUNIT_ASSERT_EQUAL(describe({{2, kWindows, 1}, {3, kAndroid, 2}, {4, kMac, 1}}), describe(sortedLogins(registry, 100)));

        CPPUNIT_ASSERT(registry.removeConnection(2).empty()); // PC on 4 still
        const auto lost = sortedLost(registry.removeConnection(4));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), lost.size());
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(100), lost[0].first);
        CPPUNIT_ASSERT(lost[0].second);
        CPPUNIT_ASSERT_EQUAL(describe({{3, kAndroid, 2}}), describe(sortedLogins(registry, 100)));
        CPPUNIT_ASSERT(registry.removeConnection(3).empty());
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), registry.userCount());
    }

    void removeConnectionDropsSeveralSpilledLoginsAtOnce()
    {
        PresenceRegistry registry;
        // Five logins, four of them on connection 1: one removal goes from spilled to one inline.
        registry.apply(1, 100, kOnline, kWindows);
        registry.apply(1, 100, kOnline, kMac);
        registry.apply(1, 100, kOnline, kIos);
        registry.apply(1, 100, kOnline, kAndroid);
        registry.apply(2, 100, kOnline, kAndroid);
        const auto lost = sortedLost(registry.removeConnection(1));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), lost.size());
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(100), lost[0].first);
        CPPUNIT_ASSERT(lost[0].second);
        CPPUNIT_ASSERT_EQUAL(describe({{2, kAndroid, 1}}), describe(sortedLogins(registry, 100)));

        // All five on one connection: removal forgets the spilled user entirely.
        for (std::uint32_t type : {kWindows, kMac, kIos, kAndroid, 0x05u})
            registry.apply(7, 200, kOnline, type);
        const auto lost7 = sortedLost(registry.removeConnection(7));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), lost7.size());
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(200), lost7[0].first);
        CPPUNIT_ASSERT(!lost7[0].second);
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
        CPPUNIT_ASSERT_EQUAL(describe({{5, kIos, 1}}), describe(sortedLogins(registry, 100)));
        CPPUNIT_ASSERT(!registry.isOnline(100));

        for (ConnectionId connection : {1u, 2u, 3u})
            registry.apply(connection, 300, kOnline, kMac);
        registry.removeConnection(1);
        registry.removeConnection(2);
        registry.removeConnection(3);
        CPPUNIT_ASSERT(registry.loginsOf(300).empty());
        registry.apply(9, 300, kOnline, kAndroid);
        CPPUNIT_ASSERT_EQUAL(describe({{9, kAndroid, 1}}), describe(sortedLogins(registry, 300)));
    }

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
        PresenceRegistry registry;
        Model model;
        std::mt19937 random(20240611);
        const std::uint32_t types[] = {kWindows, kMac, kIos, kAndroid};
        for (int op = 0; op < 40000; ++op)
        {
            const std::uint32_t roll = random() % 100;
            const ConnectionId connection = random() % 6 + 1;
            if (roll == 0)
            {
                const auto expected = model.removeConnection(connection);
                const auto actual = sortedLost(registry.removeConnection(connection));
                CPPUNIT_ASSERT_MESSAGE("op " + std::to_string(op) + ": removeConnection " + std::to_string(connection),
                                       expected == actual);
                checkAll(registry, model, "op " + std::to_string(op));
                continue;
            }
            const std::uint32_t user = random() % 300;
            const std::uint32_t type = types[random() % 4];
            const std::uint32_t status = roll < 50 ? kOffline : (roll < 90 ? kOnline : kLeave);
            const PresenceOutcome outcome = registry.apply(connection, user, status, type);
            model.apply(connection, user, status, type);
            const std::string where = "op " + std::to_string(op);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(where + ": known", !model.logins(user).empty(), outcome.known);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(where + ": pcOnline", model.isOnline(user), outcome.pcOnline);
            checkUser(registry, model, user, where);
            if (op % 1000 == 0)
                checkAll(registry, model, where);
        }
        checkAll(registry, model, "end");
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
        PresenceRegistry registry;
        Model model;
        for (std::uint32_t user = 1; user <= 30000; ++user)
        {
            if (const std::size_t capacity = registry.capacityAfter(1))
                registry.provideSlots(PresenceRegistry::prepareSlots(user % 2 ? capacity : capacity * 2));
            const std::uint32_t type = user % 3 ? kWindows : kAndroid;
            registry.apply(user % 4 + 1, user, kOnline, type);
            model.apply(user % 4 + 1, user, kOnline, type);
        }
        registry.provideSlots(PresenceRegistry::prepareSlots(1024)); // never used before the shrink below
        checkAll(registry, model, "grown");
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
            registry.apply(user % 4 + 1, user, kOffline, type);
            model.apply(user % 4 + 1, user, kOffline, type);
        }
        checkAll(registry, model, "half gone");
        const auto expected = model.removeConnection(2);
        CPPUNIT_ASSERT(expected == sortedLost(registry.removeConnection(2)));
        checkAll(registry, model, "connection 2 gone");
    }

    void userCountTracksDistinctUsers()
    {
        PresenceRegistry registry;
        registry.apply(1, 1, kOnline, kWindows);
        registry.apply(2, 1, kOnline, kWindows);
        registry.apply(1, 1, kOnline, kIos);
        registry.apply(1, 2, kOnline, kIos); // mobile-only users count: they are hosted
        registry.apply(1, 3, kOffline, kWindows);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), registry.userCount());
        registry.apply(2, 1, kOffline, kWindows);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), registry.userCount());
        registry.removeConnection(1);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), registry.userCount());
    }

private:
    /// After removals: even users that are multiples of `every` remain, with their status; the rest are gone.
    static void checkEvenUsers(const PresenceRegistry& registry, std::uint32_t users, std::uint32_t every)
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
                CPPUNIT_FAIL("user " + std::to_string(user) + " has " + describe(sortedLogins(registry, user)));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(std::to_string(user), type == kWindows, registry.isOnline(user));
        }
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PresenceRegistryTest);
