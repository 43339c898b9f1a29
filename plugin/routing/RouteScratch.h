#pragma once

#include "presence/ConnectionId.h"
#include "routing/TargetedGathers.h"
#include "wire/StatusQuery.h"

#include <cstdint>
#include <vector>

namespace ttroute
{

/// The buffers one connection's routing keeps from read to read (Router::route()), so that
/// once they have grown to the connection's usual traffic a read allocates nothing for them:
/// where targeted frames go, and the status query being answered.
struct RouteScratch
{
    TargetedGathers gathers;               ///< targeted frames of the read, per destination
    std::vector<ConnectionId> connections; ///< where the targeted frame at hand goes
    StatusQuery query;                     ///< the USERS_STATUS_REQUEST being answered
    std::vector<std::uint8_t> online;      ///< its answers: 1 where the id at the same index is online

    /// Frees the buffers when a rare large read (a 4 MB query) grew them past what usual
    /// reads need: 250 connections must not each keep their largest read's buffers.
    void trim();
};

} // namespace ttroute
