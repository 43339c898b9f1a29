#pragma once

// The relayed commands of protocol.md §6 as whole frames, and for the one-to-one ones the
// message too (tests clear or break its fields), the users in the fields protocol.md §3
// names. `n` varies the other fields, so frames built with different numbers differ.

#include "IM.BaseDefine.pb.h"
#include "IM.Buddy.pb.h"
#include "IM.File.pb.h"
#include "IM.Message.pb.h"
#include "IM.Server.pb.h"
#include "IM.SwitchService.pb.h"

#include <cstdint>
#include <string>

namespace tttest
{

/// IMP2PCmdMsg from `from` to `to`.
IM::SwitchService::IMP2PCmdMsg p2pBody(std::uint32_t from, std::uint32_t to, std::uint32_t n);
/// SWITCH_P2P_CMD of p2pBody().
std::string p2p(std::uint32_t from, std::uint32_t to, std::uint32_t n, std::uint16_t seq = 0);

/// IMFileNotify from `from` to `to`, with one address, online transfer.
IM::File::IMFileNotify fileNotifyBody(std::uint32_t from, std::uint32_t to, std::uint32_t n);
/// FILE_NOTIFY of fileNotifyBody().
std::string fileNotify(std::uint32_t from, std::uint32_t to, std::uint32_t n, std::uint16_t seq = 0);

/// IMMsgDataReadNotify: `user` read message `n` of the single chat with `session`.
IM::Message::IMMsgDataReadNotify readNotifyBody(std::uint32_t user, std::uint32_t session, std::uint32_t n);
/// MSG_READ_NOTIFY of readNotifyBody().
std::string readNotify(std::uint32_t user, std::uint32_t session, std::uint32_t n, std::uint16_t seq = 0);

/// IMServerKickUser of `user`'s `clientType` login, for `reason`.
IM::Server::IMServerKickUser kickUserBody(std::uint32_t user, std::uint32_t clientType, std::uint32_t reason);
/// OTHER_SERVER_KICK_USER of kickUserBody().
std::string kickUser(std::uint32_t user, std::uint32_t clientType, std::uint32_t reason, std::uint16_t seq = 0);

/// IMRemoveSessionNotify: `user` removed the single chat with `session`.
IM::Buddy::IMRemoveSessionNotify removeSessionBody(std::uint32_t user, std::uint32_t session);
/// BUDDY_LIST_REMOVE_SESSION_NOTIFY of removeSessionBody().
std::string removeSession(std::uint32_t user, std::uint32_t session, std::uint16_t seq = 0);

/// GROUP_CHANGE_MEMBER_NOTIFY: `user` added `member` to `group`.
std::string groupChange(std::uint32_t user, std::uint32_t group, std::uint32_t member);

/// SIGN_INFO_CHANGED_NOTIFY: `user` changed their signature.
std::string signInfo(std::uint32_t user, std::uint32_t n);

/// `frame` with `seqNum` written into its header (bytes 12 and 13, big-endian), for the
/// builders that take none: relayed frames carry seq nums of their own, so that a reply-like
/// rewrite of the header would show.
std::string withSeqNum(std::string frame, std::uint16_t seqNum);

} // namespace tttest
