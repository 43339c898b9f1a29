#include "ProtocolIds.h"

namespace ttroute
{

const char* commandName(std::uint16_t commandId)
{
    switch (commandId)
    {
        case CommandId::Heartbeat: return "HEARTBEAT";
        case CommandId::RoleSet: return "ROLE_SET";
        case CommandId::OnlineUserInfo: return "ONLINE_USER_INFO";
        case CommandId::UserStatusUpdate: return "USER_STATUS_UPDATE";
        case CommandId::ServerKickUser: return "SERVER_KICK_USER";
        case CommandId::LoginStatusNotify: return "LOGIN_STATUS_NOTIFY";
        case CommandId::BuddyStatusNotify: return "BUDDY_LIST_STATUS_NOTIFY";
        case CommandId::UsersStatusRequest: return "USERS_STATUS_REQUEST";
        case CommandId::UsersStatusResponse: return "USERS_STATUS_RESPONSE";
        case CommandId::RemoveSessionNotify: return "REMOVE_SESSION_NOTIFY";
        case CommandId::SignInfoChangedNotify: return "SIGN_INFO_CHANGED_NOTIFY";
        case CommandId::MsgData: return "MSG_DATA";
        case CommandId::MsgReadNotify: return "MSG_READ_NOTIFY";
        case CommandId::GroupChangeMemberNotify: return "GROUP_CHANGE_MEMBER_NOTIFY";
        case CommandId::FileNotify: return "FILE_NOTIFY";
        case CommandId::SwitchP2PCmd: return "SWITCH_P2P_CMD";
        default: return "UNKNOWN";
    }
}

namespace
{

/// protocol.md §2's table, in order, with the label of each command.
struct KnownCommand
{
    std::uint16_t id;
    const char* label;
};

constexpr KnownCommand kKnownCommands[kCommandSlots - 1] = {
    {CommandId::Heartbeat, "heartbeat"},
    {CommandId::RoleSet, "role_set"},
    {CommandId::OnlineUserInfo, "online_user_info"},
    {CommandId::UserStatusUpdate, "user_status_update"},
    {CommandId::LoginStatusNotify, "login_status_notify"},
    {CommandId::ServerKickUser, "server_kick_user"},
    {CommandId::BuddyStatusNotify, "buddy_list_status_notify"},
    {CommandId::UsersStatusRequest, "users_status_request"},
    {CommandId::UsersStatusResponse, "users_status_response"},
    {CommandId::RemoveSessionNotify, "remove_session_notify"},
    {CommandId::SignInfoChangedNotify, "sign_info_changed_notify"},
    {CommandId::MsgData, "msg_data"},
    {CommandId::MsgReadNotify, "msg_read_notify"},
    {CommandId::GroupChangeMemberNotify, "group_change_member_notify"},
    {CommandId::FileNotify, "file_notify"},
    {CommandId::SwitchP2PCmd, "switch_p2p_cmd"},
};

} // namespace

std::size_t commandSlot(std::uint16_t commandId)
{
    for (std::size_t slot = 0; slot < kCommandSlots - 1; ++slot)
        if (kKnownCommands[slot].id == commandId)
            return slot;
    return kCommandSlots - 1;
}

const char* commandLabel(std::size_t slot)
{
    return slot < kCommandSlots - 1 ? kKnownCommands[slot].label : "other";
}

} // namespace ttroute
