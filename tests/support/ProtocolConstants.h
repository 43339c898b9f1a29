#pragma once

// The protocol.md values the suites name, written out here independently of the plugin's own
// ProtocolIds.h, so a test never agrees with the plugin by reading the plugin's numbers.

#include <cstdint>

namespace tttest::protocol
{

// USER_STATUS values (IM.BaseDefine UserStatType).

/// USER_STATUS_ONLINE.
inline constexpr std::uint32_t kOnline = 1;
/// USER_STATUS_OFFLINE.
inline constexpr std::uint32_t kOffline = 2;
/// USER_STATUS_LEAVE.
inline constexpr std::uint32_t kLeave = 3;

// CLIENT_TYPE values (IM.BaseDefine ClientType): below 0x10 a PC, from 0x10 a mobile.

/// CLIENT_TYPE_WINDOWS, a PC.
inline constexpr std::uint32_t kWindows = 0x01;
/// CLIENT_TYPE_MAC, a PC.
inline constexpr std::uint32_t kMac = 0x02;
/// CLIENT_TYPE_IOS, a mobile.
inline constexpr std::uint32_t kIos = 0x11;
/// CLIENT_TYPE_ANDROID, a mobile.
inline constexpr std::uint32_t kAndroid = 0x12;

// Command ids (the service id is the high byte).

/// HEARTBEAT (service 7), both ways.
inline constexpr std::uint16_t kHeartbeat = 0x0701;
/// MSG_DATA (service 3), relayed.
inline constexpr std::uint16_t kMsgData = 0x0301;
/// MSG_READ_NOTIFY (service 3), relayed.
inline constexpr std::uint16_t kMsgReadNotify = 0x0304;
/// SWITCH_P2P_CMD (service 6), relayed.
inline constexpr std::uint16_t kSwitchP2PCmd = 0x0601;
/// OTHER_SERVER_KICK_USER (service 7), relayed.
inline constexpr std::uint16_t kServerKickUser = 0x070d;
/// GROUP_CHANGE_MEMBER_NOTIFY (service 4), relayed.
inline constexpr std::uint16_t kGroupChangeMemberNotify = 0x040b;
/// FILE_NOTIFY (service 5), relayed.
inline constexpr std::uint16_t kFileNotify = 0x0508;
/// BUDDY_LIST_REMOVE_SESSION_NOTIFY (service 2), relayed.
inline constexpr std::uint16_t kRemoveSessionNotify = 0x020f;
/// BUDDY_LIST_SIGN_INFO_CHANGED_NOTIFY (service 2), relayed to everyone, the sender too.
inline constexpr std::uint16_t kSignInfoChanged = 0x0215;
/// LOGIN_STATUS_NOTIFY (service 7), sent by the route server after status changes.
inline constexpr std::uint16_t kLoginStatusNotify = 0x070e;
/// BUDDY_LIST_STATUS_NOTIFY (service 2), sent by the route server after status changes.
inline constexpr std::uint16_t kBuddyStatusNotify = 0x0203;
/// BUDDY_LIST_USERS_STATUS_RESPONSE (service 2), the answer to a status request.
inline constexpr std::uint16_t kUsersStatusResponse = 0x020b;

} // namespace tttest::protocol
