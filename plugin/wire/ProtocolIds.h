#pragma once

#include <cstddef>
#include <cstdint>

namespace ttroute
{

/// Service ids of protocol.md §2. Replies and notifications carry these.
namespace ServiceId
{
constexpr std::uint16_t BuddyList = 0x0002;
constexpr std::uint16_t Message = 0x0003;
constexpr std::uint16_t Group = 0x0004;
constexpr std::uint16_t File = 0x0005;
constexpr std::uint16_t SwitchService = 0x0006;
constexpr std::uint16_t Other = 0x0007;
} // namespace ServiceId

/// Command ids of protocol.md §2. Dispatch is by command id alone, as in the original.
namespace CommandId
{
constexpr std::uint16_t Heartbeat = 0x0701;
constexpr std::uint16_t RoleSet = 0x0707;
constexpr std::uint16_t OnlineUserInfo = 0x0708;
constexpr std::uint16_t UserStatusUpdate = 0x070a;
constexpr std::uint16_t ServerKickUser = 0x070d;
constexpr std::uint16_t LoginStatusNotify = 0x070e;
constexpr std::uint16_t BuddyStatusNotify = 0x0203;
constexpr std::uint16_t UsersStatusRequest = 0x020a;
constexpr std::uint16_t UsersStatusResponse = 0x020b;
constexpr std::uint16_t RemoveSessionNotify = 0x020f;
constexpr std::uint16_t SignInfoChangedNotify = 0x0215;
constexpr std::uint16_t MsgData = 0x0301;
constexpr std::uint16_t MsgReadNotify = 0x0304;
constexpr std::uint16_t GroupChangeMemberNotify = 0x040b;
constexpr std::uint16_t FileNotify = 0x0508;
constexpr std::uint16_t SwitchP2PCmd = 0x0601;
} // namespace CommandId

/// UserStatType values of protocol.md §2.
namespace UserStatus
{
constexpr std::uint32_t Online = 1;
constexpr std::uint32_t Offline = 2;
constexpr std::uint32_t Leave = 3;
} // namespace UserStatus

/// True for PC client types (bit 0x10 clear), false for mobile ones (protocol.md §2).
constexpr bool isPcClientType(std::uint32_t clientType)
{
    return (clientType & 0x10) == 0;
}

/// Number of slots of per-client-type counters: the four client types of protocol.md §2,
/// then one for any other value.
constexpr std::size_t kClientTypeSlots = 5;

/// The counter slot of a client type: Windows, Mac, iOS, Android in that order, or the last slot.
constexpr std::size_t clientTypeSlot(std::uint32_t clientType)
{
    switch (clientType)
    {
        case 0x01: return 0;
        case 0x02: return 1;
        case 0x11: return 2;
        case 0x12: return 3;
        default: return 4;
    }
}

/// The client type a slot stands for (0 for the last, "other" slot).
constexpr std::uint32_t clientTypeOfSlot(std::size_t slot)
{
    constexpr std::uint32_t types[kClientTypeSlots] = {0x01, 0x02, 0x11, 0x12, 0};
    return types[slot];
}

/// The label of a client-type slot: "windows", "mac", "ios", "android" or "other".
const char* clientTypeLabel(std::size_t slot);

/// True for the single-chat message types (MSG_TYPE_SINGLE_TEXT, MSG_TYPE_SINGLE_AUDIO);
/// group types have bit 0x10 set (protocol.md §2).
constexpr bool isSingleChatMessage(std::uint32_t msgType)
{
    return msgType == 0x01 || msgType == 0x02;
}

/// A readable name for a command id, for logs ("MSG_DATA"); "UNKNOWN" for ids we do not speak.
const char* commandName(std::uint16_t commandId);

/// Number of slots of per-command counters: the 16 commands of protocol.md §2, then one for all others.
constexpr std::size_t kCommandSlots = 17;

/// The counter slot of a command id: its place in protocol.md §2's table, or the last slot.
std::size_t commandSlot(std::uint16_t commandId);

/// The metric label of a counter slot: the command's name in lower case ("msg_data"), or "other".
const char* commandLabel(std::size_t slot);

} // namespace ttroute
