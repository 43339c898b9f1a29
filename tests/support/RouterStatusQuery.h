#pragma once

// Asking the router of a RouterHarness for statuses, as a msg server does, so that router
// suites can check presence through the router's own answers.

#include "RecordingPeer.h"
#include "RouterHarness.h"

#include <cstdint>
#include <string>
#include <vector>

namespace tttest
{

/// Routes a USERS_STATUS_REQUEST about `ids` from `asker` (its recording is cleared before and
/// after) and returns the statuses answered as "id=status" pairs joined by spaces, in the order
/// answered, e.g. "1=1 2=2". Fails the test unless exactly one answer came back and it parses.
std::string statusOf(RouterHarness& harness, RecordingPeer& asker, const std::vector<std::uint32_t>& ids);

} // namespace tttest
