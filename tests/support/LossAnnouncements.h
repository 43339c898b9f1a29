#pragma once

// What a route server announces when a connection is lost (protocol.md §7), checked over the
// frames a remaining msg server received: several suites lose connections and expect it.

#include "FrameAssertions.h"
#include "WireFrames.h"

#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace tttest
{

/// Asserts `frames` are exactly the announcements of a lost connection: one
/// BUDDY_LIST_STATUS_NOTIFY OFFLINE for each of `offline`, preceded (for the users in
/// `stillKnown` only) by one LOGIN_STATUS_NOTIFY 0; users in any order, nothing else; each
/// frame's header as `header` says.
void assertOfflineAnnouncements(const std::vector<WireFrame>& frames, const std::set<std::uint32_t>& offline,
                                const std::set<std::uint32_t>& stillKnown, const std::string& who,
                                NotificationHeader header = NotificationHeader::IdsOnly);

} // namespace tttest
