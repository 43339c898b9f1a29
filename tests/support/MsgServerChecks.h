#pragma once

// What several suites do with fake msg servers against a running route server: admit a
// connection, query statuses, check a relay. Each fails the running CppUnit test on a
// wrong answer.

#include "FakeMsgServer.h"

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

namespace tttest
{

/// Connects a fake msg server to 127.0.0.1:`port` and waits until the route server has
/// admitted it (its first sync() comes back empty), so broadcasts that follow reach it.
std::unique_ptr<FakeMsgServer> connectAdmitted(std::uint16_t port);

/// Sends a USERS_STATUS_REQUEST from user 4711 about `ids` with `seq` and returns the
/// statuses answered, in order; the answer must be the next frame on the line and list
/// exactly `ids`, in order.
std::vector<std::uint32_t> queryStatuses(FakeMsgServer& fake, const std::vector<std::uint32_t>& ids, std::uint16_t seq = 0x0A0B);

/// Queries `ids` from `fake` (nothing else may be pending for it) as user 5150 with attach
/// data "e2e"; the answer must be the next frame, echo seq, requester and attach data; returns
/// "id:status" pairs, e.g. "1:1 2:2 ".
std::string query(FakeMsgServer& fake, const std::vector<std::uint32_t>& ids, std::uint16_t seq = 0x0102);

/// `values` as "1 2 2 " (each followed by a space), to compare status lists readably.
std::string statuses(const std::vector<std::uint32_t>& values);

/// statuses() of a literal list.
std::string statuses(std::initializer_list<std::uint32_t> values);

/// `from` sends one MSG_DATA (400 to 401, message `msgId`); every one of `to` receives exactly
/// it, byte for byte, and the sender nothing. `who` names the case in failure messages.
void assertRelayed(FakeMsgServer& from, const std::vector<FakeMsgServer*>& to, std::uint32_t msgId, const std::string& who);

} // namespace tttest
