#pragma once

#include <cstddef>
#include <cstdint>

namespace ttroute
{

/// What the router did with one PDU, as a trace line tells it: Router::Step notes it for
/// every PDU (a few stores), TraceRecorder reads it while a trace runs.
struct PduFate
{
    enum class Action
    {
        None,             ///< nothing to tell: a heartbeat, ROLE_SET, a command nobody routes
        Relayed,          ///< to every other msg server
        RelayedToAll,     ///< to every msg server, the sender included
        RelayedTargeted,  ///< to the msg servers hosting its users (targeted relay)
        Unaddressed,      ///< targeted relay, and no other msg server hosts its users: dropped
        Applied,          ///< a status update applied, and announced
        Unannounced,      ///< a status update applied; its msg server's master announces it
        Registered,       ///< ONLINE_USER_INFO entries applied
        Answered,         ///< a status query answered
        DroppedBadBody,   ///< dropped: its body is not a valid message
        DroppedOversized, ///< dropped: more ONLINE_USER_INFO entries than allowed
    };

    Action action = Action::None;
    std::uint32_t notifications = 0; ///< Applied: the notifications it generated
    std::size_t count = 0;           ///< Answered: ids answered; DroppedOversized: entries
};

} // namespace ttroute
