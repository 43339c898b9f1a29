#pragma once

// Status updates for the presence registry's tests, several in one statement, so that a test's
// setup reads as the list of logins it makes.

#include "presence/PresenceRegistry.h"

#include <cstdint>
#include <initializer_list>

namespace presencetest
{

/// One status update: `userId` with `status` on `clientType` through `connection`.
struct Update
{
    /// The connection it comes through.
    ttroute::ConnectionId connection;
    /// The user it is about.
    std::uint32_t userId;
    /// USER_STATUS: OFFLINE takes a login away, any other adds one.
    std::uint32_t status;
    /// CLIENT_TYPE of the login.
    std::uint32_t clientType;
};

/// Applies `updates` to `registry`, in order.
void applyAll(ttroute::PresenceRegistry& registry, std::initializer_list<Update> updates);

} // namespace presencetest
