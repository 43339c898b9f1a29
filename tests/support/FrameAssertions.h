#pragma once

// CppUnit assertions over the frames a fake msg server received, with failure messages that
// name the frames (DiagnosticText.h) instead of dumping their bytes.

#include "WireFrames.h"

#include <cstdint>
#include <string>
#include <vector>

namespace tttest
{

/// Asserts `actual` is `expected` byte for byte; on failure reports both sizes and the first
/// offset where they differ, never the bytes themselves (they may be megabytes).
void assertSameBytes(const std::string& expected, const std::string& actual, const std::string& what);

/// Asserts `frames` are exactly the PDUs `expected`, byte for byte and in order.
void assertFrames(const std::vector<std::string>& expected, const std::vector<WireFrame>& frames, const std::string& who);

/// Asserts `frames` is empty: `who` received nothing.
void assertNothing(const std::vector<WireFrame>& frames, const std::string& who);

/// How much of the header of a notification the route server generated the assertions
/// below check, beyond the service and command ids.
enum class NotificationHeader
{
    AsGenerated, ///< also seq 0 and (LOGIN_STATUS_NOTIFY) version 1, as the route server writes them
    IdsOnly,     ///< the service and command ids alone
};

/// Asserts `frame` is LOGIN_STATUS_NOTIFY for `userId` with `loginStatus`, its header as `header` says.
void assertLoginStatus(const WireFrame& frame, std::uint32_t userId, std::uint32_t loginStatus, const std::string& who,
                       NotificationHeader header = NotificationHeader::AsGenerated);

/// Asserts `frame` is BUDDY_LIST_STATUS_NOTIFY for `userId` with `status`, its header as `header` says.
void assertBuddyStatus(const WireFrame& frame, std::uint32_t userId, std::uint32_t status, const std::string& who,
                       NotificationHeader header = NotificationHeader::AsGenerated);

/// Asserts `frames` are LOGIN_STATUS_NOTIFY with `loginStatus` (only when `loginStatus` >= 0)
/// then BUDDY_LIST_STATUS_NOTIFY with `buddyStatus`, both for `userId`, and nothing else.
void assertStatusNotifications(const std::vector<WireFrame>& frames, std::uint32_t userId, int loginStatus, std::uint32_t buddyStatus,
                               const std::string& who, NotificationHeader header = NotificationHeader::AsGenerated);

} // namespace tttest
