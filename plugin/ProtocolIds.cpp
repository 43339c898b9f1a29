#include "ProtocolIds.h"

namespace ttroute
{
namespace
{

/// How logs and metrics name a counter slot's command.
struct CommandNames
{
    const char* name;  ///< as in protocol.md: "MSG_DATA"
    const char* label; ///< as a metric label: "msg_data"
};

/// By counter slot: protocol.md §2's table in order, then everything else.
constexpr CommandNames kCommandNames[kCommandSlots] = {
    {"HEARTBEAT", "heartbeat"},
    {"ROLE_SET", "role_set"},
    {"ONLINE_USER_INFO", "online_user_info"},
    {"USER_STATUS_UPDATE", "user_status_update"},
    {"LOGIN_STATUS_NOTIFY", "login_status_notify"},
    {"SERVER_KICK_USER", "server_kick_user"},
    {"BUDDY_LIST_STATUS_NOTIFY", "buddy_list_status_notify"},
    {"USERS_STATUS_REQUEST", "users_status_request"},
    {"USERS_STATUS_RESPONSE", "users_status_response"},
    {"REMOVE_SESSION_NOTIFY", "remove_session_notify"},
    {"SIGN_INFO_CHANGED_NOTIFY", "sign_info_changed_notify"},
    {"MSG_DATA", "msg_data"},
    {"MSG_READ_NOTIFY", "msg_read_notify"},
    {"GROUP_CHANGE_MEMBER_NOTIFY", "group_change_member_notify"},
    {"FILE_NOTIFY", "file_notify"},
    {"SWITCH_P2P_CMD", "switch_p2p_cmd"},
    {"UNKNOWN", "other"},
};

} // namespace

std::size_t commandSlot(std::uint16_t commandId)
{
    // A switch, not a table walk: every frame is counted twice, received and sent.
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

const char* commandName(std::uint16_t commandId)
{
    return kCommandNames[commandSlot(commandId)].name;
}

const char* commandLabel(std::size_t slot)
{
    return kCommandNames[slot < kCommandSlots ? slot : kCommandSlots - 1].label;
}

} // namespace ttroute
