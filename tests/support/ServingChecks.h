#pragma once

// Whether a route server just started (tthost, an embedding example, an unpacked package)
// serves: a PC login heard everywhere, a status query answered, a message relayed. Each
// fails the running CppUnit test on a wrong answer.

#include "FakeMsgServer.h"

#include <cstdint>
#include <string>
#include <vector>

namespace tttest
{

/// `from` logs `user` in on a PC client of `clientType`; `from` itself and every one of `others`
/// then receive exactly LOGIN_STATUS_NOTIFY (logged in) and BUDDY_LIST_STATUS_NOTIFY (online)
/// for the user. Nothing else may be pending for any of them. `who` names the case.
void assertPcLoginHeardByAll(FakeMsgServer& from, const std::vector<FakeMsgServer*>& others, std::uint32_t user, std::uint32_t clientType,
                             const std::string& who);

/// Two msg servers newly connected to 127.0.0.1:`port`: a Windows login of `user` on one is
/// heard by both, the other's status query finds the user online, and a message goes from one
/// to the other. The user logs off again at the end, so nothing is left for the next check.
void assertRoutesBetweenTwoMsgServers(std::uint16_t port, std::uint32_t user, const std::string& who);

} // namespace tttest
