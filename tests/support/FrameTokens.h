#pragma once

// Frames as short tokens ("2/0203 7 status=2"), so that what a peer received compares and
// prints readably in the router's unit suites.

#include "RecordingPeer.h"
#include "WireFrames.h"

#include <cstdint>
#include <string>
#include <vector>

namespace tttest
{

/// A frame as a token: service/command, and for notifications and status answers their content.
std::string describeFrame(const WireFrame& frame);

/// The token of one frame given as bytes.
std::string describeBytes(const std::string& bytes);

/// The token of LOGIN_STATUS_NOTIFY for `userId` with `loginStatus`.
std::string loginNotify(std::uint32_t userId, std::uint32_t loginStatus);

/// The token of BUDDY_LIST_STATUS_NOTIFY for `userId` with `status`.
std::string buddyNotify(std::uint32_t userId, std::uint32_t status);

/// Tokens joined with ", ".
std::string joined(const std::vector<std::string>& tokens);

/// The frames `peer` received as tokens.
std::vector<std::string> tokens(const RecordingPeer& peer);

/// The frames `peer` received as joined tokens.
std::string described(const RecordingPeer& peer);

/// As described(), with the status notifications ordered by user id (each user's in the
/// order they came): for announcements whose users come in no particular order.
std::string describedByUser(const RecordingPeer& peer);

} // namespace tttest
