// Whether a route server just started serves: logins heard, queries answered, messages relayed (ServingChecks.h).
#include "ServingChecks.h"

#include "FrameAssertions.h"
#include "MsgServerChecks.h"
#include "ProtocolConstants.h"

#include <cppunit/TestAssert.h>

namespace tttest
{

void assertPcLoginHeardByAll(FakeMsgServer& from, const std::vector<FakeMsgServer*>& others, std::uint32_t user, std::uint32_t clientType,
                             const std::string& who)
{
    from.send(statusUpdate(user, protocol::kOnline, clientType));
    // The sender first: its answer proves the notifications are in the others' outboxes.
    assertStatusNotifications(from.sync(), user, 1, protocol::kOnline, who + ", the sender");
    for (FakeMsgServer* other : others)
        assertStatusNotifications(other->sync(), user, 1, protocol::kOnline, who + ", another msg server");
}

void assertRoutesBetweenTwoMsgServers(std::uint16_t port, std::uint32_t user, const std::string& who)
{
    auto a = connectAdmitted(port);
    auto b = connectAdmitted(port);
    assertPcLoginHeardByAll(*a, {b.get()}, user, protocol::kWindows, who);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(who, statuses({protocol::kOnline}), statuses(queryStatuses(*b, {user})));
    assertRelayed(*a, {b.get()}, user, who);
    a->send(statusUpdate(user, protocol::kOffline, protocol::kWindows));
    a->sync();
    b->sync();
}

} // namespace tttest
