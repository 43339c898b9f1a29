#include "MsgServerChecks.h"

#include "DiagnosticText.h"
#include "FrameAssertions.h"
#include "ProtocolConstants.h"

#include "IM.Buddy.pb.h"

#include <cppunit/extensions/HelperMacros.h>

namespace tttest
{

std::unique_ptr<FakeMsgServer> connectAdmitted(std::uint16_t port)
{
    auto fake = std::make_unique<FakeMsgServer>(port);
    assertNothing(fake->sync(), "a new connection");
    return fake;
}

std::vector<std::uint32_t> queryStatuses(FakeMsgServer& fake, const std::vector<std::uint32_t>& ids, std::uint16_t seq)
{
    fake.send(statusRequest(seq, 4711, ids));
    const WireFrame frame = fake.receive();
    CPPUNIT_ASSERT_EQUAL_MESSAGE(describeFrames({frame}), protocol::kUsersStatusResponse, frame.commandId);
    CPPUNIT_ASSERT_EQUAL(seq, frame.seqNum);
    IM::Buddy::IMUsersStatRsp response;
    CPPUNIT_ASSERT(frame.parse(response));
    CPPUNIT_ASSERT_EQUAL(std::uint32_t(4711), response.user_id());
    CPPUNIT_ASSERT_EQUAL(ids.size(), static_cast<std::size_t>(response.user_stat_list_size()));
    std::vector<std::uint32_t> statuses;
    for (int i = 0; i < response.user_stat_list_size(); ++i)
    {
        CPPUNIT_ASSERT_EQUAL(ids[static_cast<std::size_t>(i)], response.user_stat_list(i).user_id());
        statuses.push_back(static_cast<std::uint32_t>(response.user_stat_list(i).status()));
    }
    return statuses;
}

std::string statuses(const std::vector<std::uint32_t>& values)
{
    std::string text;
    for (auto value : values)
        text += std::to_string(value) + " ";
    return text;
}

std::string statuses(std::initializer_list<std::uint32_t> values)
{
    return statuses(std::vector<std::uint32_t>(values));
}

void assertRelayed(FakeMsgServer& from, const std::vector<FakeMsgServer*>& to, std::uint32_t msgId, const std::string& who)
{
    const std::string message = msgData(400, 401, msgId, "relayed: " + who);
    from.send(message);
    const auto echo = from.sync();
    CPPUNIT_ASSERT_MESSAGE(who + ": the sender got " + describeFrames(echo), echo.empty());
    for (FakeMsgServer* other : to)
    {
        const auto got = other->sync();
        CPPUNIT_ASSERT_EQUAL_MESSAGE(who + ": " + describeFrames(got), std::size_t(1), got.size());
        CPPUNIT_ASSERT_MESSAGE(who + ": relayed bytes differ", message == got[0].bytes);
    }
}

std::string query(FakeMsgServer& fake, const std::vector<std::uint32_t>& ids, std::uint16_t seq)
{
    const std::string attach = "e2e";
    fake.send(statusRequest(seq, 5150, ids, &attach));
    const WireFrame frame = fake.receive();
    CPPUNIT_ASSERT_EQUAL(protocol::kUsersStatusResponse, frame.commandId);
    CPPUNIT_ASSERT_EQUAL(std::uint16_t(2), frame.serviceId);
    CPPUNIT_ASSERT_EQUAL(seq, frame.seqNum);
    IM::Buddy::IMUsersStatRsp response;
    CPPUNIT_ASSERT(frame.parse(response));
    CPPUNIT_ASSERT_EQUAL(std::uint32_t(5150), response.user_id());
    CPPUNIT_ASSERT_EQUAL(attach, response.attach_data());
    std::string text;
    for (const auto& stat : response.user_stat_list())
        text += std::to_string(stat.user_id()) + ":" + std::to_string(stat.status()) + " ";
    return text;
}

} // namespace tttest
