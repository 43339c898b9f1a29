#pragma once

#include "presence/PresenceRegistry.h"
#include "routing/RouteCounters.h"

#include <cstdint>
#include <string>

namespace ttroute
{

/// Appends the notifications protocol.md §5 prescribes after user `userId` sent `status`
/// with `clientType` and presence became `outcome`, counting them in `tally`; returns how
/// many frames it appended.
std::uint32_t appendStatusNotifications(std::string& out, CommandTally& tally, std::uint32_t userId, std::uint32_t status,
                                        std::uint32_t clientType, PresenceOutcome outcome);

} // namespace ttroute
