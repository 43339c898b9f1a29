#include "FrameAssertions.h"

#include "DiagnosticText.h"
#include "ProtocolConstants.h"

#include "IM.Buddy.pb.h"
#include "IM.Server.pb.h"

#include <cppunit/extensions/HelperMacros.h>

namespace tttest
{

namespace
{

/// The ids every notification assertion checks, `command` of `service`, and with
/// NotificationHeader::AsGenerated seq 0, as the route server writes it.
void assertNotificationHeader(const WireFrame& frame, std::uint16_t service, std::uint16_t command, const std::string& where,
                              NotificationHeader header)
{
    CPPUNIT_ASSERT_EQUAL_MESSAGE(where, command, frame.commandId);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(where, service, frame.serviceId);
    if (header == NotificationHeader::AsGenerated)
        CPPUNIT_ASSERT_EQUAL_MESSAGE(where, std::uint16_t(0), frame.seqNum);
}

} // namespace

void assertSameBytes(const std::string& expected, const std::string& actual, const std::string& what)
{
    if (expected == actual)
        return;
    std::size_t at = 0;
    while (at < expected.size() && at < actual.size() && expected[at] == actual[at])
        ++at;
    CPPUNIT_FAIL(what + ": bytes differ (expected " + std::to_string(expected.size()) + " bytes, got " +
                 std::to_string(actual.size()) + ", first difference at offset " + std::to_string(at) + ")");
}

void assertFrames(const std::vector<std::string>& expected, const std::vector<WireFrame>& frames, const std::string& who)
{
    CPPUNIT_ASSERT_EQUAL_MESSAGE(who + " got " + describeFrames(frames), expected.size(), frames.size());
    for (std::size_t i = 0; i < expected.size(); ++i)
        assertSameBytes(expected[i], frames[i].bytes, who + " frame " + std::to_string(i));
}

void assertNothing(const std::vector<WireFrame>& frames, const std::string& who)
{
    CPPUNIT_ASSERT_MESSAGE(who + " should have got nothing, got " + describeFrames(frames), frames.empty());
}

void assertLoginStatus(const WireFrame& frame, std::uint32_t userId, std::uint32_t loginStatus, const std::string& who,
                       NotificationHeader header)
{
    const std::string where = who + " " + describeFrames({frame});
    assertNotificationHeader(frame, 7, protocol::kLoginStatusNotify, where, header);
    if (header == NotificationHeader::AsGenerated) // and version 1
        CPPUNIT_ASSERT_EQUAL_MESSAGE(where, std::uint16_t(1), static_cast<std::uint16_t>((static_cast<unsigned char>(frame.bytes[4]) << 8) |
                                                                                          static_cast<unsigned char>(frame.bytes[5])));
    IM::Server::IMServerPCLoginStatusNotify notify;
    CPPUNIT_ASSERT_MESSAGE(where, frame.parse(notify));
    CPPUNIT_ASSERT_EQUAL_MESSAGE(where, userId, notify.user_id());
    CPPUNIT_ASSERT_EQUAL_MESSAGE(where, loginStatus, notify.login_status());
}

void assertBuddyStatus(const WireFrame& frame, std::uint32_t userId, std::uint32_t status, const std::string& who,
                       NotificationHeader header)
{
    const std::string where = who + " " + describeFrames({frame});
    assertNotificationHeader(frame, 2, protocol::kBuddyStatusNotify, where, header);
    IM::Buddy::IMUserStatNotify notify;
    CPPUNIT_ASSERT_MESSAGE(where, frame.parse(notify));
    CPPUNIT_ASSERT_EQUAL_MESSAGE(where, userId, notify.user_stat().user_id());
    CPPUNIT_ASSERT_EQUAL_MESSAGE(where, status, static_cast<std::uint32_t>(notify.user_stat().status()));
}

void assertStatusNotifications(const std::vector<WireFrame>& frames, std::uint32_t userId, int loginStatus, std::uint32_t buddyStatus,
                               const std::string& who, NotificationHeader header)
{
    const std::size_t expected = loginStatus >= 0 ? 2 : 1;
    CPPUNIT_ASSERT_EQUAL_MESSAGE(who + " got " + describeFrames(frames), expected, frames.size());
    if (loginStatus >= 0)
        assertLoginStatus(frames[0], userId, static_cast<std::uint32_t>(loginStatus), who, header);
    assertBuddyStatus(frames.back(), userId, buddyStatus, who, header);
}

} // namespace tttest
