#include "ModelledRegistry.h"

#include "PresenceText.h"

#include "wire/ProtocolIds.h"

#include <cppunit/extensions/HelperMacros.h>

#include <vector>

using ttroute::ConnectionId;

namespace presencetest
{

ttroute::PresenceOutcome ModelledRegistry::apply(ConnectionId connection, std::uint32_t userId, std::uint32_t status, std::uint32_t clientType)
{
    const ttroute::PresenceOutcome outcome = registry.apply(connection, userId, status, clientType);
    model.apply(connection, userId, status, clientType);
    return outcome;
}

void ModelledRegistry::checkUser(std::uint32_t userId, const std::string& where) const
{
    const auto expected = model.logins(userId);
    const auto actual = sortedLogins(registry, userId);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(where + ": logins of " + std::to_string(userId), describe(expected), describe(actual));
    CPPUNIT_ASSERT_EQUAL_MESSAGE(where + ": status of " + std::to_string(userId), model.isOnline(userId), registry.isOnline(userId));
}

void ModelledRegistry::checkAll(const std::string& where) const
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
        checkUser(entry.first, where);
}

} // namespace presencetest
