#include "RelayedFrames.h"

#include "ProtocolConstants.h"
#include "WireFrames.h"

#include "IM.Group.pb.h"

namespace tttest
{

IM::SwitchService::IMP2PCmdMsg p2pBody(std::uint32_t from, std::uint32_t to, std::uint32_t n)
{
    IM::SwitchService::IMP2PCmdMsg msg;
    msg.set_from_user_id(from);
    msg.set_to_user_id(to);
    msg.set_cmd_msg_data("shake " + std::to_string(n));
    return msg;
}

std::string p2p(std::uint32_t from, std::uint32_t to, std::uint32_t n, std::uint16_t seq)
{
    return makeFrame(6, protocol::kSwitchP2PCmd, seq, p2pBody(from, to, n));
}

IM::File::IMFileNotify fileNotifyBody(std::uint32_t from, std::uint32_t to, std::uint32_t n)
{
    IM::File::IMFileNotify msg;
    msg.set_from_user_id(from);
    msg.set_to_user_id(to);
    msg.set_file_name("file" + std::to_string(n) + ".txt");
    msg.set_file_size(1000 + n);
    msg.set_task_id("task-" + std::to_string(n));
    auto* ip = msg.add_ip_addr_list();
    ip->set_ip("10.0.0.1");
    ip->set_port(8600);
    msg.set_trans_mode(IM::BaseDefine::FILE_TYPE_ONLINE);
    msg.set_offline_ready(0);
    return msg;
}

std::string fileNotify(std::uint32_t from, std::uint32_t to, std::uint32_t n, std::uint16_t seq)
{
    return makeFrame(5, protocol::kFileNotify, seq, fileNotifyBody(from, to, n));
}

IM::Message::IMMsgDataReadNotify readNotifyBody(std::uint32_t user, std::uint32_t session, std::uint32_t n)
{
    IM::Message::IMMsgDataReadNotify msg;
    msg.set_user_id(user);
    msg.set_session_id(session);
    msg.set_msg_id(n);
    msg.set_session_type(IM::BaseDefine::SESSION_TYPE_SINGLE);
    return msg;
}

std::string readNotify(std::uint32_t user, std::uint32_t session, std::uint32_t n, std::uint16_t seq)
{
    return makeFrame(3, protocol::kMsgReadNotify, seq, readNotifyBody(user, session, n));
}

IM::Server::IMServerKickUser kickUserBody(std::uint32_t user, std::uint32_t clientType, std::uint32_t reason)
{
    IM::Server::IMServerKickUser msg;
    msg.set_user_id(user);
    msg.set_client_type(static_cast<IM::BaseDefine::ClientType>(clientType));
    msg.set_reason(reason);
    return msg;
}

std::string kickUser(std::uint32_t user, std::uint32_t clientType, std::uint32_t reason, std::uint16_t seq)
{
    return makeFrame(7, protocol::kServerKickUser, seq, kickUserBody(user, clientType, reason));
}

IM::Buddy::IMRemoveSessionNotify removeSessionBody(std::uint32_t user, std::uint32_t session)
{
    IM::Buddy::IMRemoveSessionNotify msg;
    msg.set_user_id(user);
    msg.set_session_type(IM::BaseDefine::SESSION_TYPE_SINGLE);
    msg.set_session_id(session);
    return msg;
}

std::string removeSession(std::uint32_t user, std::uint32_t session, std::uint16_t seq)
{
    return makeFrame(2, protocol::kRemoveSessionNotify, seq, removeSessionBody(user, session));
}

std::string groupChange(std::uint32_t user, std::uint32_t group, std::uint32_t member)
{
    IM::Group::IMGroupChangeMemberNotify msg;
    msg.set_user_id(user);
    msg.set_change_type(IM::BaseDefine::GROUP_MODIFY_TYPE_ADD);
    msg.set_group_id(group);
    msg.add_cur_user_id_list(user);
    msg.add_cur_user_id_list(member);
    msg.add_chg_user_id_list(member);
    return makeFrame(4, protocol::kGroupChangeMemberNotify, 0, msg);
}

std::string signInfo(std::uint32_t user, std::uint32_t n)
{
    IM::Buddy::IMSignInfoChangedNotify msg;
    msg.set_changed_user_id(user);
    msg.set_sign_info("signature " + std::to_string(n));
    return makeFrame(2, protocol::kSignInfoChanged, 0, msg);
}

std::string withSeqNum(std::string frame, std::uint16_t seqNum)
{
    frame[12] = static_cast<char>(seqNum >> 8);
    frame[13] = static_cast<char>(seqNum & 0xFF);
    return frame;
}

} // namespace tttest
