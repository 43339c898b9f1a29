#pragma once

#include "wire/Frame.h"

#include <cstddef>
#include <cstdint>
#include <optional>

namespace ttroute
{

/// The users a one-to-one PDU is for, in targeted relay mode (protocol.md §6): at most two.
struct RelayTargets
{
    std::uint32_t users[2] = {}; ///< the user ids, in schema order (possibly equal)
    std::size_t count = 0;       ///< how many of users[] hold one
};

/// The users `frame` must reach when it is one-to-one and its body is a valid message:
/// MSG_DATA of a single-chat type (from_user_id, to_session_id), SWITCH_P2P_CMD
/// (from_user_id, to_user_id), FILE_NOTIFY (to_user_id), MSG_READ_NOTIFY, OTHER_SERVER_KICK_USER
/// and BUDDY_LIST_REMOVE_SESSION_NOTIFY (user_id). nullopt for everything that keeps the
/// broadcast rules: other commands, group messages, and bodies the generated parser would
/// reject (a required field missing or of another wire type, an enum value it does not know,
/// malformed bytes, a FILE_NOTIFY ip_addr_list entry the parser rejects). Reads the body in place, allocating and copying nothing.
std::optional<RelayTargets> relayTargets(const FrameView& frame);

} // namespace ttroute
