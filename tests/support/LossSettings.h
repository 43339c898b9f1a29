#pragma once

// Route settings for the router suites that lose connections: how long a lost connection's
// users wait before they are announced offline, and who announces them.

#include "config/RouteSettings.h"

#include <chrono>
#include <optional>

namespace tttest
{

/// Default settings but `grace` as route.peer_loss_grace (none: never announce) and
/// `viaMaster` as route.announce_via_master.
ttroute::RouteSettings lossSettings(std::optional<std::chrono::milliseconds> grace, bool viaMaster = false);

/// Settings under which a lost connection's users are announced before detach() returns
/// (route.peer_loss_grace = 0), for the tests of what is announced.
ttroute::RouteSettings announcedAtOnce();

} // namespace tttest
