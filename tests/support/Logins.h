#pragma once

// Users logging in on a fake msg server, as tests set up who is online where: the
// USER_STATUS_UPDATEs (online) of a list of logins, sent at once, and applied by the route
// server once the fake's sync() has come back.

#include "FakeMsgServer.h"

#include <cstdint>
#include <string>
#include <vector>

namespace tttest
{

/// One login: a user and the client type it logs in with.
struct Login
{
    std::uint32_t user = 0;       ///< the user id
    std::uint32_t clientType = 0; ///< a CLIENT_TYPE value (protocol::kWindows, ...)
};

/// The USER_STATUS_UPDATEs, online, of `logins`, one after another in one string.
std::string loginUpdates(const std::vector<Login>& logins);

/// Sends loginUpdates(`logins`) from `fake` and waits until the route server applied them (a sync).
void logIn(FakeMsgServer& fake, const std::vector<Login>& logins);

/// logIn() of one user with `clientType`.
void logIn(FakeMsgServer& fake, std::uint32_t user, std::uint32_t clientType);

} // namespace tttest
