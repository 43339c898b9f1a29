// What keeps the broadcast rules in targeted relay mode: group MSG_DATA, group member changes,
// sign-info changes (to the sender too), and every body of a targeted command that the
// generated parser would reject, alone or between targeted frames of one read.
#include "DiagnosticText.h"
#include "ProtocolConstants.h"
#include "RelayedFrames.h"
#include "TargetedCommands.h"
#include "TargetedWorld.h"
#include "WireFrames.h"

#include "IM.Buddy.pb.h"
#include "IM.File.pb.h"
#include "IM.Message.pb.h"
#include "IM.Server.pb.h"
#include "IM.SwitchService.pb.h"

#include <cppunit/extensions/HelperMacros.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

using tttest::fileNotifyBody;
using tttest::groupChange;
using tttest::kickUserBody;
using tttest::p2p;
using tttest::p2pBody;
using tttest::readNotifyBody;
using tttest::removeSessionBody;
using tttest::signInfo;
using namespace targetedtest;
using namespace tttest::protocol;

namespace
{

/// Bodies of `command` that the generated parser rejects, each with users hosted on peer 2
/// only (or on the sender only), so targeting would have narrowed them.
std::vector<std::pair<std::string, std::string>> unparsableBodies(std::uint16_t commandId)
{
    std::vector<std::pair<std::string, std::string>> bodies;
    auto addCommon = [&](const std::string& valid) {
        bodies.push_back({"truncated by one byte", valid.substr(0, valid.size() - 1)});
        bodies.push_back({"truncated to half", valid.substr(0, valid.size() / 2)});
        bodies.push_back({"empty body", std::string()});
        bodies.push_back({"garbage", std::string("\xff\xff\xff\x00\x01", 5)});
    };
    switch (commandId)
    {
        case kMsgData:
        {
            addCommon(msgDataBody(kOnP1, kOnP2, 1).SerializeAsString());
            auto missing = msgDataBody(kOnP1, kOnP2, 1);
            missing.clear_msg_id();
            bodies.push_back({"msg_id missing", missing.SerializePartialAsString()});
            auto noTarget = msgDataBody(kOnP1, kOnP2, 1);
            noTarget.clear_to_session_id();
            bodies.push_back({"to_session_id missing", noTarget.SerializePartialAsString()});
            auto badType = msgDataBody(kOnP1, kOnP2, 1);
            badType.clear_msg_type();
            bodies.push_back({"msg_type 7", tttest::withVarintField(badType.SerializePartialAsString(), 5, 7)});
            bodies.push_back({"msg_type 3", tttest::withVarintField(badType.SerializePartialAsString(), 5, 3)});
            auto wireType = msgDataBody(kOnP1, kOnP2, 1);
            wireType.clear_to_session_id();
            bodies.push_back({"to_session_id as bytes", wireType.SerializePartialAsString() + std::string("\x12\x01\x0a", 3)});
            break;
        }
        case kSwitchP2PCmd:
        {
            addCommon(p2pBody(kOnP1, kOnP2, 1).SerializeAsString());
            auto missing = p2pBody(kOnP1, kOnP2, 1);
            missing.clear_cmd_msg_data();
            bodies.push_back({"cmd_msg_data missing", missing.SerializePartialAsString()});
            auto noTarget = p2pBody(kOnP1, kOnP2, 1);
            noTarget.clear_to_user_id();
            bodies.push_back({"to_user_id missing", noTarget.SerializePartialAsString()});
            bodies.push_back({"to_user_id as bytes", noTarget.SerializePartialAsString() + std::string("\x12\x01\x0a", 3)});
            break;
        }
        case kFileNotify:
        {
            addCommon(fileNotifyBody(kOnP1, kOnP2, 1).SerializeAsString());
            auto missing = fileNotifyBody(kOnP1, kOnP2, 1);
            missing.clear_task_id();
            bodies.push_back({"task_id missing", missing.SerializePartialAsString()});
            auto noReady = fileNotifyBody(kOnP1, kOnP2, 1);
            noReady.clear_offline_ready();
            bodies.push_back({"offline_ready missing", noReady.SerializePartialAsString()});
            auto badMode = fileNotifyBody(kOnP1, kOnP2, 1);
            badMode.clear_trans_mode();
            bodies.push_back({"trans_mode 3", tttest::withVarintField(badMode.SerializePartialAsString(), 7, 3)});
            break;
        }
        case kMsgReadNotify:
        {
            addCommon(readNotifyBody(kOnP2, kOnP1, 1).SerializeAsString());
            auto missing = readNotifyBody(kOnP2, kOnP1, 1);
            missing.clear_msg_id();
            bodies.push_back({"msg_id missing", missing.SerializePartialAsString()});
            auto badType = readNotifyBody(kOnP2, kOnP1, 1);
            badType.clear_session_type();
            bodies.push_back({"session_type 3", tttest::withVarintField(badType.SerializePartialAsString(), 4, 3)});
            bodies.push_back({"session_type 0", tttest::withVarintField(badType.SerializePartialAsString(), 4, 0)});
            break;
        }
        case kServerKickUser:
        {
            addCommon(kickUserBody(kOnP2, kWindows, 1).SerializeAsString());
            auto missing = kickUserBody(kOnP2, kWindows, 1);
            missing.clear_reason();
            bodies.push_back({"reason missing", missing.SerializePartialAsString()});
            auto badType = kickUserBody(kOnP2, kWindows, 1);
            badType.clear_client_type();
            bodies.push_back({"client_type 0x13", tttest::withVarintField(badType.SerializePartialAsString(), 2, 0x13)});
            bodies.push_back({"client_type 0", tttest::withVarintField(badType.SerializePartialAsString(), 2, 0)});
            break;
        }
        case kRemoveSessionNotify:
        {
            addCommon(removeSessionBody(kOnP2, kOnP1).SerializeAsString());
            auto missing = removeSessionBody(kOnP2, kOnP1);
            missing.clear_session_id();
            bodies.push_back({"session_id missing", missing.SerializePartialAsString()});
            auto noUser = removeSessionBody(kOnP2, kOnP1);
            noUser.clear_user_id();
            bodies.push_back({"user_id missing", noUser.SerializePartialAsString()});
            auto badType = removeSessionBody(kOnP2, kOnP1);
            badType.clear_session_type();
            bodies.push_back({"session_type 9", tttest::withVarintField(badType.SerializePartialAsString(), 2, 9)});
            break;
        }
        default:
            throw std::logic_error("not a targeted command");
    }
    return bodies;
}

/// True when the generated code of `commandId`'s message accepts `body` (parsed, initialised).
bool generatedParserAccepts(std::uint16_t commandId, const std::string& body)
{
    auto accepts = [&body](google::protobuf::MessageLite&& message) { return message.ParsePartialFromString(body) && message.IsInitialized(); };
    switch (commandId)
    {
        case kMsgData: return accepts(IM::Message::IMMsgData());
        case kSwitchP2PCmd: return accepts(IM::SwitchService::IMP2PCmdMsg());
        case kFileNotify: return accepts(IM::File::IMFileNotify());
        case kMsgReadNotify: return accepts(IM::Message::IMMsgDataReadNotify());
        case kServerKickUser: return accepts(IM::Server::IMServerKickUser());
        case kRemoveSessionNotify: return accepts(IM::Buddy::IMRemoveSessionNotify());
    }
    throw std::logic_error("not a targeted command");
}

/// The service id of `commandId`: its high byte.
std::uint16_t serviceOf(std::uint16_t commandId)
{
    return static_cast<std::uint16_t>(commandId >> 8);
}

} // namespace

class TargetedBroadcastRulesTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(TargetedBroadcastRulesTest);
    CPPUNIT_TEST(groupMsgDataKeepsBroadcast);
    CPPUNIT_TEST(groupChangeMemberNotifyKeepsBroadcast);
    CPPUNIT_TEST(signInfoChangedStillGoesToEveryone);
    CPPUNIT_TEST(unparsableTargetedBodiesAreBroadcast);
    CPPUNIT_TEST_SUITE_END();

public:
    void groupMsgDataKeepsBroadcast()
    {
        World w;
        std::uint32_t n = 0;
        for (std::uint32_t type : {0x11u, 0x12u})
        {
            const std::string t = "group MSG_DATA type " + tttest::hex4(type);
            // to_session_id is a group id; it may equal a user id, which must not matter.
            w.expectBroadcast(1, msgData(kOnP1, kOnP2, ++n, type), t + " to group id = a user on peer 2");
            w.expectBroadcast(1, msgData(kOnP1, 5000, ++n, type), t + " to a group id nobody has");
            w.expectBroadcast(3, msgData(kOnP3P4, kOnP1, ++n, type), t + " from a user on peers 3 and 4");
            w.expectBroadcast(2, msgData(kNowhere, kNowhere, ++n, type), t + " from an unknown user");
        }
    }

    void groupChangeMemberNotifyKeepsBroadcast()
    {
        World w;
        w.expectBroadcast(1, groupChange(kOnP1, 900, kOnP2), "GROUP_CHANGE_MEMBER_NOTIFY about users on peers 1 and 2");
        w.expectBroadcast(4, groupChange(kNowhere, 901, kNowhere), "GROUP_CHANGE_MEMBER_NOTIFY about unknown users");
        w.expectBroadcast(2, groupChange(kOnP2, 902, kOnP2), "GROUP_CHANGE_MEMBER_NOTIFY about a user on the sender only");
    }

    void signInfoChangedStillGoesToEveryone()
    {
        World w;
        w.expectBroadcast(1, signInfo(kOnP1, 1), "SIGN_INFO_CHANGED of a user on the sender only", true);
        w.expectBroadcast(3, signInfo(kOnP3P4, 2), "SIGN_INFO_CHANGED of a user on peers 3 and 4", true);
        w.expectBroadcast(2, signInfo(kNowhere, 3), "SIGN_INFO_CHANGED of an unknown user", true);
    }

    void unparsableTargetedBodiesAreBroadcast()
    {
        World w;
        std::uint16_t seq = 1;
        for (std::uint16_t commandId : {kMsgData, kSwitchP2PCmd, kFileNotify, kMsgReadNotify, kServerKickUser, kRemoveSessionNotify})
            for (const auto& [what, body] : unparsableBodies(commandId))
            {
                const std::string context = tttest::hex4(commandId) + " " + what;
                CPPUNIT_ASSERT_MESSAGE(context + ": the generated parser must reject it", !generatedParserAccepts(commandId, body));
                const std::string frame = tttest::makeRawFrame(serviceOf(commandId), commandId, seq++, body);
                w.expectBroadcast(1, frame, context);
                w.expectBroadcast(2, frame, context + " (sender hosts its user)");
            }
        // In one read between targeted frames, order kept and each frame to its own destinations.
        const std::string t1 = w.name(msgData(kOnP1, kOnP2, 1), "t1 {2}");
        const std::string bad = w.name(tttest::makeRawFrame(3, kMsgData, 9, msgDataBody(kOnP1, kOnP2, 2).SerializeAsString().substr(0, 10)), "bad {2,3,4}");
        const std::string t2 = w.name(p2p(kOnP1, kMobileOnP3, 3), "t2 {3}");
        w.clear();
        w.h.route(w.peer(1), t1 + bad + t2);
        CPPUNIT_ASSERT_EQUAL(std::string(), w.received(1));
        CPPUNIT_ASSERT_EQUAL(std::string("t1 {2}, bad {2,3,4}"), w.received(2));
        CPPUNIT_ASSERT_EQUAL(std::string("bad {2,3,4}, t2 {3}"), w.received(3));
        CPPUNIT_ASSERT_EQUAL(std::string("bad {2,3,4}"), w.received(4));
        CPPUNIT_ASSERT(t1 + bad == w.peer(2).bytes());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(TargetedBroadcastRulesTest);
