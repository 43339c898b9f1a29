#pragma once

// The frames the router's broadcast-mode tests relay: each command protocol.md §6 relays to
// every connection but the sender, and SIGN_INFO_CHANGED_NOTIFY, which goes to the sender too,
// built by command id so that a test can walk them all.

#include <array>
#include <cstdint>
#include <string>
#include <utility>

namespace routertest
{

/// The commands protocol.md §6 relays to every connection but the sender: (service, command).
inline constexpr std::array<std::pair<std::uint16_t, std::uint16_t>, 7> kRelayedToOthers = {{
    {0x0003, 0x0301}, // MSG_DATA
    {0x0006, 0x0601}, // SWITCH_P2P_CMD
    {0x0003, 0x0304}, // MSG_READ_NOTIFY
    {0x0007, 0x070d}, // OTHER_SERVER_KICK_USER
    {0x0004, 0x040b}, // GROUP_CHANGE_MEMBER_NOTIFY
    {0x0005, 0x0508}, // FILE_NOTIFY
    {0x0002, 0x020f}, // BUDDY_LIST_REMOVE_SESSION_NOTIFY
}};

/// A valid frame of relayed command `commandId` (one of kRelayedToOthers, or 0x0215) with
/// `seqNum` in its header and a body that carries `n`, so that frames built with different
/// numbers differ.
std::string relayFrame(std::uint16_t commandId, std::uint32_t n, std::uint16_t seqNum = 0);

/// SIGN_INFO_CHANGED_NOTIFY carrying `n`: relayed to everyone, the sender too.
std::string signInfoChanged(std::uint32_t n);

} // namespace routertest
