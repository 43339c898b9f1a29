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

} // namespace ttroute
