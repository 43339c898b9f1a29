// The presence registry against protocol.md §4, one user at a time: logins counted per
// connection and client type, OFFLINE taking one away and never below zero, ONLINE meaning
// "a PC login anywhere" (LEAVE counting as one), and the outcome each update reports.
#include "PresenceText.h"
#include "PresenceUpdates.h"
#include "ProtocolConstants.h"
#include "presence/PresenceRegistry.h"

#include <cppunit/extensions/HelperMacros.h>

#include <cstdint>
#include <string>

using ttroute::PresenceOutcome;
using ttroute::PresenceRegistry;
using namespace presencetest;
using namespace tttest::protocol;

class PresenceLoginTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(PresenceLoginTest);
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
        CPPUNIT_ASSERT_EQUAL(describe({{1, kWindows, 1}}), loginsOf(registry, 100));
        registry.apply(1, 100, kOnline, kWindows);
        registry.apply(1, 100, kOnline, kWindows);
        CPPUNIT_ASSERT_EQUAL(describe({{1, kWindows, 3}}), loginsOf(registry, 100));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), registry.userCount());
    }

    void offlineDecrementsCount()
    {
        PresenceRegistry registry;
        for (int i = 0; i < 3; ++i)
            registry.apply(1, 100, kOnline, kWindows);
        registry.apply(1, 100, kOffline, kWindows);
        CPPUNIT_ASSERT_EQUAL(describe({{1, kWindows, 2}}), loginsOf(registry, 100));
        CPPUNIT_ASSERT(registry.isOnline(100));
        registry.apply(1, 100, kOffline, kWindows);
        CPPUNIT_ASSERT_EQUAL(describe({{1, kWindows, 1}}), loginsOf(registry, 100));
        CPPUNIT_ASSERT(registry.isOnline(100));
        registry.apply(1, 100, kOffline, kWindows);
        CPPUNIT_ASSERT(registry.loginsOf(100).empty());
        CPPUNIT_ASSERT(!registry.isOnline(100));
    }

    void offlineNeverGoesBelowZero()
    {
        PresenceRegistry registry;
        applyAll(registry, {{1, 100, kOnline, kWindows},
                            {1, 100, kOnline, kAndroid},    // keeps the user known while the PC count is at zero
                            {1, 100, kOffline, kWindows},
                            {1, 100, kOffline, kWindows},
                            {1, 100, kOffline, kWindows}});
        CPPUNIT_ASSERT_EQUAL(describe({{1, kAndroid, 1}}), loginsOf(registry, 100));
        // A count that went below zero would swallow this login.
        registry.apply(1, 100, kOnline, kWindows);
        CPPUNIT_ASSERT_EQUAL(describe({{1, kWindows, 1}, {1, kAndroid, 1}}), loginsOf(registry, 100));
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
        CPPUNIT_ASSERT_EQUAL(describe({{1, kWindows, 1}}), loginsOf(registry, 200));
        CPPUNIT_ASSERT_EQUAL(describe({{1, kWindows, 1}}), loginsOf(registry, 100));
    }

    void offlineFromConnectionNotHostingUserIsNoOp()
    {
        PresenceRegistry registry;
        registry.apply(1, 100, kOnline, kWindows);
        const PresenceOutcome outcome = registry.apply(2, 100, kOffline, kWindows);
        CPPUNIT_ASSERT(outcome.known);
        CPPUNIT_ASSERT(outcome.pcOnline);
        CPPUNIT_ASSERT_EQUAL(describe({{1, kWindows, 1}}), loginsOf(registry, 100));
        CPPUNIT_ASSERT(registry.isOnline(100));
        // Connection 2 owes nothing: its first login counts as one.
        registry.apply(2, 100, kOnline, kWindows);
        CPPUNIT_ASSERT_EQUAL(describe({{1, kWindows, 1}, {2, kWindows, 1}}), loginsOf(registry, 100));
    }

    void offlineForTypeNotLoggedInIsNoOp()
    {
        PresenceRegistry registry;
        applyAll(registry, {{1, 100, kOnline, kWindows}, {1, 100, kOffline, kMac}, {1, 100, kOffline, kIos}});
        CPPUNIT_ASSERT_EQUAL(describe({{1, kWindows, 1}}), loginsOf(registry, 100));
        CPPUNIT_ASSERT(registry.isOnline(100));
    }

    void userForgottenWhenNoConnectionHostsThem()
    {
        PresenceRegistry registry;
        applyAll(registry, {{1, 100, kOnline, kWindows}, {2, 100, kOnline, kIos}, {1, 101, kOnline, kWindows}});
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
        applyAll(registry, {{1, 100, kOnline, kWindows}, {2, 100, kOnline, kAndroid}, {1, 100, kOffline, kWindows}});
        CPPUNIT_ASSERT_EQUAL(describe({{2, kAndroid, 1}}), loginsOf(registry, 100));
        // Connection 1 no longer hosts the user, so its loss changes nothing for them.
        CPPUNIT_ASSERT(registry.removeConnection(1).empty());
        CPPUNIT_ASSERT_EQUAL(describe({{2, kAndroid, 1}}), loginsOf(registry, 100));
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
            CPPUNIT_ASSERT_EQUAL(describe({{1, type, 1}}), loginsOf(registry, user));
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
        CPPUNIT_ASSERT_EQUAL(describe({{1, kIos, 1}, {2, kAndroid, 1}}), loginsOf(registry, 100));
    }

    void leaveCountsAsLogin()
    {
        PresenceRegistry registry;
        const PresenceOutcome outcome = registry.apply(1, 100, kLeave, kWindows);
        CPPUNIT_ASSERT(outcome.known);
        CPPUNIT_ASSERT(outcome.pcOnline);
        CPPUNIT_ASSERT(registry.isOnline(100));
        registry.apply(1, 100, kLeave, kWindows);
        CPPUNIT_ASSERT_EQUAL(describe({{1, kWindows, 2}}), loginsOf(registry, 100));
        registry.apply(1, 100, kOnline, kWindows);
        CPPUNIT_ASSERT_EQUAL(describe({{1, kWindows, 3}}), loginsOf(registry, 100));
    }

    void leaveOnMobileKeepsUserOffline()
    {
        PresenceRegistry registry;
        registry.apply(1, 100, kLeave, kAndroid);
        CPPUNIT_ASSERT(!registry.isOnline(100));
        CPPUNIT_ASSERT_EQUAL(describe({{1, kAndroid, 1}}), loginsOf(registry, 100));
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
        CPPUNIT_ASSERT_EQUAL(describe({{1, kWindows, 1}, {1, kIos, 1}}), loginsOf(registry, 100));

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
        CPPUNIT_ASSERT_EQUAL(describe({{1, kMac, 1}}), loginsOf(registry, 100));
    }

    void sameUserOnTwoConnections()
    {
        PresenceRegistry registry;
        registry.apply(1, 100, kOnline, kWindows);
        registry.apply(2, 100, kOnline, kWindows);
        CPPUNIT_ASSERT_EQUAL(describe({{1, kWindows, 1}, {2, kWindows, 1}}), loginsOf(registry, 100));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), registry.userCount());
        // Counts are per connection: connection 2's logout does not touch connection 1's login.
        registry.apply(2, 100, kOffline, kWindows);
        CPPUNIT_ASSERT(registry.isOnline(100));
        CPPUNIT_ASSERT_EQUAL(describe({{1, kWindows, 1}}), loginsOf(registry, 100));
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

    void userCountTracksDistinctUsers()
    {
        PresenceRegistry registry;
        applyAll(registry, {{1, 1, kOnline, kWindows},
                            {2, 1, kOnline, kWindows},
                            {1, 1, kOnline, kIos},
                            {1, 2, kOnline, kIos},        // mobile-only users count: they are hosted
                            {1, 3, kOffline, kWindows}});
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), registry.userCount());
        registry.apply(2, 1, kOffline, kWindows);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), registry.userCount());
        registry.removeConnection(1);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), registry.userCount());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PresenceLoginTest);
