#include "ProtocolIds.h"

namespace ttroute
{
namespace
{

/// A command of protocol.md §2 as logs and metrics name it.
struct KnownCommand
{
    std::uint16_t id;
    const char* name;  ///< as in protocol.md: "MSG_DATA"
    const char* label; ///< as a metric label: "msg_data"
};

/// protocol.md §2's table in order: a command's place here is its counter slot. The slot
/// after the last is everything else ("UNKNOWN", "other").
constexpr KnownCommand kKnownCommands[kCommandSlots - 1] = {
    {CommandId::Heartbeat, "HEARTBEAT", "heartbeat"},
    {CommandId::RoleSet, "ROLE_SET", "role_set"},
    {CommandId::OnlineUserInfo, "ONLINE_USER_INFO", "online_user_info"},
    {CommandId::UserStatusUpdate, "USER_STATUS_UPDATE", "user_status_update"},
    {CommandId::LoginStatusNotify, "LOGIN_STATUS_NOTIFY", "login_status_notify"},
    {CommandId::ServerKickUser, "SERVER_KICK_USER", "server_kick_user"},
    {CommandId::BuddyStatusNotify, "BUDDY_LIST_STATUS_NOTIFY", "buddy_list_status_notify"},
    {CommandId::UsersStatusRequest, "USERS_STATUS_REQUEST", "users_status_request"},
    {CommandId::UsersStatusResponse, "USERS_STATUS_RESPONSE", "users_status_response"},
    {CommandId::RemoveSessionNotify, "REMOVE_SESSION_NOTIFY", "remove_session_notify"},
    {CommandId::SignInfoChangedNotify, "SIGN_INFO_CHANGED_NOTIFY", "sign_info_changed_notify"},
    {CommandId::MsgData, "MSG_DATA", "msg_data"},
    {CommandId::MsgReadNotify, "MSG_READ_NOTIFY", "msg_read_notify"},
    {CommandId::GroupChangeMemberNotify, "GROUP_CHANGE_MEMBER_NOTIFY", "group_change_member_notify"},
    {CommandId::FileNotify, "FILE_NOTIFY", "file_notify"},
    {CommandId::SwitchP2PCmd, "SWITCH_P2P_CMD", "switch_p2p_cmd"},
};

/// The slot of a command id. A switch, not a walk of the table: every frame is counted twice,
/// received and sent.
constexpr std::size_t slotOf(std::uint16_t commandId)
{
    switch (commandId)
    {
        case CommandId::Heartbeat: return 0;
        case CommandId::RoleSet: return 1;
        case CommandId::OnlineUserInfo: return 2;
        case CommandId::UserStatusUpdate: return 3;
        case CommandId::LoginStatusNotify: return 4;
        case CommandId::ServerKickUser: return 5;
        case CommandId::BuddyStatusNotify: return 6;
        case CommandId::UsersStatusRequest: return 7;
        case CommandId::UsersStatusResponse: return 8;
        case CommandId::RemoveSessionNotify: return 9;
        case CommandId::SignInfoChangedNotify: return 10;
        case CommandId::MsgData: return 11;
        case CommandId::MsgReadNotify: return 12;
        case CommandId::GroupChangeMemberNotify: return 13;
        case CommandId::FileNotify: return 14;
        case CommandId::SwitchP2PCmd: return 15;
        default: return kCommandSlots - 1;
    }
}

/// True when the switch puts every command of the table at its own place.
constexpr bool slotsMatchTable()
{
    for (std::size_t slot = 0; slot < kCommandSlots - 1; ++slot)
        if (slotOf(kKnownCommands[slot].id) != slot)
            return false;
    return true;
}

static_assert(slotsMatchTable(), "slotOf() and kKnownCommands must list the commands in the same order");

} // namespace

std::size_t commandSlot(std::uint16_t commandId)
{
    return slotOf(commandId);
}

const char* commandName(std::uint16_t commandId)
{
    const std::size_t slot = slotOf(commandId);
    return slot < kCommandSlots - 1 ? kKnownCommands[slot].name : "UNKNOWN";
}

const char* commandLabel(std::size_t slot)
{
    return slot < kCommandSlots - 1 ? kKnownCommands[slot].label : "other";
}

const char* clientTypeLabel(std::size_t slot)
{
    static constexpr const char* labels[kClientTypeSlots] = {"windows", "mac", "ios", "android", "other"};
    return slot < kClientTypeSlots ? labels[slot] : labels[kClientTypeSlots - 1];
}

} // namespace ttroute
