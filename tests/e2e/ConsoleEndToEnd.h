#pragma once

// What the e2e_console suite's tests share: the users they log in, the configuration they
// start tthost with, how a trace names a msg server, and a method an endpoint refuses. (The
// fields of the endpoints' JSON are read with AdminJson.h.)

#include "FakeMsgServer.h"
#include "HostProperties.h"

#include <cstdint>
#include <string>

/// Alice, the user traces follow.
constexpr std::uint32_t kAlice = 1001;
/// Bob, to whom messages go.
constexpr std::uint32_t kBob = 1002;
/// Carol, whose messages a trace of Alice must leave out.
constexpr std::uint32_t kCarol = 1003;

/// The configuration every test starts from: the route plugin and the admin endpoint on
/// ephemeral loopback ports, a drain timeout of 2 s, no heartbeats or idle timeouts to blur
/// the counts.
tttest::HostProperties config();

/// "msg server 127.0.0.1:PORT #ID": how trace lines name `fake`.
std::string traceName(std::uint16_t admin, tttest::FakeMsgServer& fake);

/// `method` on `path` of the admin endpoint at `admin` is refused with 405, and the Allow
/// header names the one method it takes, `allowed`.
void assertMethodRefused(std::uint16_t admin, const std::string& path, const std::string& method, const std::string& allowed);
