#pragma once

// What the presence registry holds, as text its tests compare: a user's logins, and the users
// a connection's removal reported lost.

#include "PresenceModel.h"

#include "presence/PresenceRegistry.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace presencetest
{

/// The logins of `userId` in `registry`, sorted.
std::vector<LoginTuple> sortedLogins(const ttroute::PresenceRegistry& registry, std::uint32_t userId);

/// `logins` as "[ (connection,type,count) ... ]".
std::string describe(const std::vector<LoginTuple>& logins);

/// describe() of the logins of `userId` in `registry`, sorted.
std::string loginsOf(const ttroute::PresenceRegistry& registry, std::uint32_t userId);

/// The user ids of `lost` with their stillKnown flag, sorted: removeConnection promises no order.
std::vector<std::pair<std::uint32_t, bool>> sortedLost(const std::vector<ttroute::LostUser>& lost);

/// sortedLost() as "[ 10 forgotten, 11 still known ]".
std::string describeLost(const std::vector<ttroute::LostUser>& lost);

} // namespace presencetest
