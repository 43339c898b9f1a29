#include "LossAnnouncements.h"

#include "DiagnosticText.h"
#include "ProtocolConstants.h"

#include "IM.Buddy.pb.h"
#include "IM.Server.pb.h"

#include <cppunit/extensions/HelperMacros.h>

#include <map>

namespace tttest
{

void assertOfflineAnnouncements(const std::vector<WireFrame>& frames, const std::set<std::uint32_t>& offline,
                                const std::set<std::uint32_t>& stillKnown, const std::string& who, NotificationHeader header)
{
    std::map<std::uint32_t, int> buddy;
    std::map<std::uint32_t, int> login;
    for (const auto& frame : frames)
    {
        if (frame.commandId == protocol::kLoginStatusNotify)
        {
            IM::Server::IMServerPCLoginStatusNotify notify;
            CPPUNIT_ASSERT_MESSAGE(who + " " + describeFrames({frame}), frame.parse(notify));
            const std::uint32_t user = notify.user_id();
            CPPUNIT_ASSERT_MESSAGE(who + ": LOGIN_STATUS_NOTIFY for user " + std::to_string(user) + ", who is not still known elsewhere",
                                   stillKnown.count(user) == 1);
            assertLoginStatus(frame, user, 0, who + ": user " + std::to_string(user), header);
            CPPUNIT_ASSERT_MESSAGE(who + ": LOGIN_STATUS_NOTIFY after BUDDY_LIST_STATUS_NOTIFY for user " + std::to_string(user),
                                   buddy.count(user) == 0);
            ++login[user];
            continue;
        }
        CPPUNIT_ASSERT_EQUAL_MESSAGE(who + ": unexpected " + describeFrames({frame}), protocol::kBuddyStatusNotify, frame.commandId);
        IM::Buddy::IMUserStatNotify notify;
        CPPUNIT_ASSERT_MESSAGE(who + " " + describeFrames({frame}), frame.parse(notify));
        const std::uint32_t user = notify.user_stat().user_id();
        CPPUNIT_ASSERT_MESSAGE(who + ": BUDDY_LIST_STATUS_NOTIFY for user " + std::to_string(user) + ", who did not go offline",
                               offline.count(user) == 1);
        assertBuddyStatus(frame, user, protocol::kOffline, who + ": user " + std::to_string(user), header);
        ++buddy[user];
    }
    for (std::uint32_t user : offline)
        CPPUNIT_ASSERT_EQUAL_MESSAGE(who + ": BUDDY_LIST_STATUS_NOTIFY count for user " + std::to_string(user), 1, buddy[user]);
    for (std::uint32_t user : stillKnown)
        CPPUNIT_ASSERT_EQUAL_MESSAGE(who + ": LOGIN_STATUS_NOTIFY count for user " + std::to_string(user), 1, login[user]);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(who + " got " + describeFrames(frames), offline.size() + stillKnown.size(), frames.size());
}

} // namespace tttest
