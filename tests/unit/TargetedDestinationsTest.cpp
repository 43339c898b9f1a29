// Targeted relay (protocol.md §6, beyond), command by command: exactly the peers hosting the
// users a one-to-one PDU names receive it, byte for byte, and its sender never does; a user
// online nowhere else costs no send and is counted as unaddressed. Four recording peers stand in
// for msg servers with users placed on known peers (TargetedWorld.h).
#include "DiagnosticText.h"
#include "ProtocolConstants.h"
#include "RelayedFrames.h"
#include "TargetedCommands.h"
#include "TargetedWorld.h"
#include "WireFrames.h"
#include "wire/ProtocolIds.h"

#include "IM.BaseDefine.pb.h"
#include "IM.Buddy.pb.h"

#include <cppunit/extensions/HelperMacros.h>

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

using tttest::fileNotify;
using tttest::kickUser;
using tttest::readNotify;
using tttest::removeSessionBody;
using namespace targetedtest;
using namespace tttest::protocol;

namespace
{

/// One row of the destination tables: sender, the users in the frame, where it must go.
struct Case
{
    int from;
    std::uint32_t target;
    std::uint32_t other;
    PeerSet to;
    const char* why;
};

/// For commands addressed to one user (FILE_NOTIFY's to_user_id, the others' user_id): `other`
/// names users hosted elsewhere, who must not matter.
const std::vector<Case> kOneUserCases = {
    {1, kOnP2, kOnP3P4, {2}, "single device elsewhere"},
    {1, kOnP3P4, kOnP2, {3, 4}, "multi-device across two peers"},
    {1, kMobileOnP3, kOnP2, {3}, "mobile-only user"},
    {1, kPcAndMobileOnP4, kMobileOnP3, {4}, "PC and mobile on one peer: once"},
    {1, kLeaveOnP2, kOnP3P4, {2}, "LEAVE hosts the user"},
    {1, kOnP1P2, kPcAndMobileOnP4, {2}, "the sender hosts the user too"},
    {2, kOnP1P2, kOnP3P4, {1}, "the sender hosts the user too, other direction"},
    {3, kOnP3P4, kOnP2, {4}, "the sender hosts one of two devices"},
    {1, kOnP1, kOnP2, {}, "online only on the sender"},
    {4, kPcAndMobileOnP4, kOnP2, {}, "online only on the sender, two logins"},
    {1, kNowhere, kOnP3P4, {}, "online nowhere"},
    {3, kNowhere, kNowhere, {}, "online nowhere, from another peer"},
};

/// For MSG_DATA and SWITCH_P2P_CMD: `other` is from_user_id, `target` the recipient; both count.
const std::vector<Case> kTwoUserCases = {
    {1, kOnP2, kOnP1, {2}, "recipient on one peer, sender's user only on the sender"},
    {1, kOnP3P4, kOnP2, {2, 3, 4}, "both users' peers, the sender's user's other device too"},
    {1, kMobileOnP3, kOnP1P2, {2, 3}, "sender's user also on the sender: its other peer only"},
    {1, kPcAndMobileOnP4, kOnP1, {4}, "PC and mobile on one peer: once"},
    {1, kOnP1P2, kLeaveOnP2, {2}, "both users on the same other peer: once"},
    {2, kOnP1P2, kOnP2, {1}, "from peer 2 back to peer 1"},
    {3, kOnP2, kOnP3P4, {2, 4}, "sender's user's other device, and the recipient"},
    {4, kOnP3P4, kPcAndMobileOnP4, {3}, "recipient's other device"},
    {4, kLeaveOnP2, kOnP3P4, {2, 3}, "LEAVE recipient, sender's user on two peers"},
    {2, kOnP3P4, kNowhere, {3, 4}, "unknown sending user, recipient known"},
    {3, kNowhere, kMobileOnP3, {}, "recipient nowhere, sending user only on the sender"},
    {1, kOnP1, kOnP1, {}, "chat with oneself, only on the sender"},
    {1, kNowhere, kOnP1, {}, "recipient nowhere"},
    {2, kNowhere, kNowhere, {}, "both nowhere"},
};

/// Routes `command` for every row of its destination table, in one World.
void runCases(const TargetedCommand& command)
{
    World w;
    const auto& cases = command.otherIsTarget ? kTwoUserCases : kOneUserCases;
    std::uint32_t n = 0;
    for (const Case& c : cases)
    {
        const std::string frame = command.build(c.target, c.other, ++n);
        w.expectTargeted(c.from, frame, c.to,
                         command.name + " for user " + std::to_string(c.target) + " (other " + std::to_string(c.other) + "): " + c.why);
    }
}

} // namespace

class TargetedDestinationsTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(TargetedDestinationsTest);
    CPPUNIT_TEST(singleTextMsgDataGoesToHostsOfBothUsers);
    CPPUNIT_TEST(singleAudioMsgDataGoesToHostsOfBothUsers);
    CPPUNIT_TEST(switchP2PCmdGoesToHostsOfBothUsers);
    CPPUNIT_TEST(fileNotifyGoesToHostsOfRecipientOnly);
    CPPUNIT_TEST(readNotifyGoesToHostsOfUserId);
    CPPUNIT_TEST(kickUserGoesToHostsOfUserIdWhateverClientType);
    CPPUNIT_TEST(removeSessionGoesToHostsOfUserId);
    CPPUNIT_TEST(senderNeverReceivesItsOwnTargetedFrame);
    CPPUNIT_TEST(userOnlineNowhereElseCostsNoSend);
    CPPUNIT_TEST(targetedFrameIsForwardedUntouched);
    CPPUNIT_TEST_SUITE_END();

public:
    void singleTextMsgDataGoesToHostsOfBothUsers() { runCases(commandNamed("MSG_DATA single text")); }

    void singleAudioMsgDataGoesToHostsOfBothUsers() { runCases(commandNamed("MSG_DATA single audio")); }

    void switchP2PCmdGoesToHostsOfBothUsers() { runCases(commandNamed("SWITCH_P2P_CMD")); }

    void fileNotifyGoesToHostsOfRecipientOnly()
    {
        runCases(commandNamed("FILE_NOTIFY"));
        // from_user_id's peers get nothing: a stock msg server delivers it to to_user_id only.
        World w;
        w.expectTargeted(1, fileNotify(kOnP2, kOnP3P4, 1), {3, 4}, "FILE_NOTIFY from a user on peer 2");
        w.expectTargeted(3, fileNotify(kOnP3P4, kOnP2, 2), {2}, "FILE_NOTIFY from a user on peers 3 and 4");
        w.expectTargeted(1, fileNotify(kOnP2, kNowhere, 3), {}, "FILE_NOTIFY to nobody, from a user on peer 2");
    }

    void readNotifyGoesToHostsOfUserId()
    {
        runCases(commandNamed("MSG_READ_NOTIFY"));
        // session_id names the other party, who is not addressed.
        World w;
        w.expectTargeted(1, readNotify(kOnP3P4, kOnP2, 1), {3, 4}, "MSG_READ_NOTIFY with session_id on peer 2");
        w.expectTargeted(1, readNotify(kNowhere, kOnP2, 2), {}, "MSG_READ_NOTIFY for nobody, session_id on peer 2");
    }

    void kickUserGoesToHostsOfUserIdWhateverClientType()
    {
        runCases(commandNamed("OTHER_SERVER_KICK_USER"));
        // client_type is not a filter: presence is per login, any client type hosts the user.
        World w;
        std::uint32_t reason = 1;
        for (std::uint32_t type : {kWindows, kMac, kIos, kAndroid})
        {
            w.expectTargeted(1, kickUser(kOnP3P4, type, reason++), {3, 4}, "KICK of a Windows+Android user as " + tttest::hex4(type));
            w.expectTargeted(1, kickUser(kMobileOnP3, type, reason++), {3}, "KICK of an iOS-only user as " + tttest::hex4(type));
            w.expectTargeted(2, kickUser(kOnP1P2, type, reason++), {1}, "KICK of a Mac+iOS user as " + tttest::hex4(type));
        }
    }

    void removeSessionGoesToHostsOfUserId()
    {
        runCases(commandNamed("BUDDY_LIST_REMOVE_SESSION_NOTIFY"));
        World w;
        IM::Buddy::IMRemoveSessionNotify group = removeSessionBody(kOnP2, kOnP3P4);
        group.set_session_type(IM::BaseDefine::SESSION_TYPE_GROUP);
        w.expectTargeted(1, tttest::makeFrame(2, kRemoveSessionNotify, 0, group), {2}, "REMOVE_SESSION of a group session");
    }

    void senderNeverReceivesItsOwnTargetedFrame()
    {
        // From every peer, for every command, for users it hosts itself (alone and with others).
        World w;
        const std::map<int, std::vector<std::pair<std::uint32_t, PeerSet>>> hosted = {
            {1, {{kOnP1, {}}, {kOnP1P2, {2}}}},
            {2, {{kOnP2, {}}, {kLeaveOnP2, {}}, {kOnP1P2, {1}}}},
            {3, {{kMobileOnP3, {}}, {kOnP3P4, {4}}}},
            {4, {{kPcAndMobileOnP4, {}}, {kOnP3P4, {3}}}},
        };
        std::uint32_t n = 100;
        for (const auto& command : targetedCommands())
            for (const auto& [from, users] : hosted)
                for (const auto& [user, to] : users)
                {
                    // Both users of a two-user command on the sender's own peer.
                    const std::string frame = command.build(user, user, ++n);
                    w.expectTargeted(from, frame, to, command.name + " for user " + std::to_string(user) + " hosted by the sender");
                }
    }

    void userOnlineNowhereElseCostsNoSend()
    {
        World w;
        // One read with only unaddressed frames: nothing delivered, each one counted once.
        std::string stream;
        std::uint32_t n = 200;
        for (const auto& command : targetedCommands())
        {
            stream += command.build(kNowhere, kNowhere, ++n);
            stream += command.build(kOnP1, kOnP1, ++n);
            stream += command.build(kNowhere, command.otherIsTarget ? kOnP1 : kOnP2, ++n);
        }
        const std::uint64_t before = w.h.counters.relayUnaddressed.load();
        std::uint64_t sentBefore = 0;
        for (const auto& slot : w.h.counters.sent.pdus)
            sentBefore += slot.load();
        w.h.route(w.peer(1), stream);
        for (int i = 1; i <= 4; ++i)
            CPPUNIT_ASSERT_EQUAL_MESSAGE("peer " + std::to_string(i), std::string(), w.received(i));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(3 * targetedCommands().size()), w.h.counters.relayUnaddressed.load() - before);
        std::uint64_t sentAfter = 0;
        for (const auto& slot : w.h.counters.sent.pdus)
            sentAfter += slot.load();
        CPPUNIT_ASSERT_EQUAL(sentBefore, sentAfter);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), w.h.counters.bodiesDropped.load());
        // All of them were received and counted as such: two MSG_DATA rows, three frames each.
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(3 * 2), w.h.counters.received.pdus[ttroute::commandSlot(kMsgData)].load());
    }

    void targetedFrameIsForwardedUntouched()
    {
        // Odd version, flag, seq, reserved and service: dispatched by command id, targeted by
        // its body, and forwarded as the exact bytes received.
        World w;
        for (const auto& command : targetedCommands())
        {
            std::string frame = command.build(kOnP3P4, kNowhere, 7);
            frame[5] = '\x07';  // version
            frame[7] = '\x09';  // flag
            frame[9] = '\x0C';  // service
            frame[12] = '\xBE'; // seq
            frame[13] = '\xEF';
            frame[14] = '\xAB'; // reserved
            frame[15] = '\xCD';
            w.expectTargeted(1, frame, {3, 4}, command.name + " with odd header fields");
        }
        // A body with a field the schema does not know is still targeted, and forwarded with it.
        const std::string body = tttest::withVarintField(msgDataBody(kOnP1, kOnP2, 3).SerializeAsString(), 15, 12345);
        w.expectTargeted(1, tttest::makeRawFrame(3, kMsgData, 0, body), {2}, "MSG_DATA with an unknown field");
        // attach_data kept.
        auto attached = msgDataBody(kOnP1, kPcAndMobileOnP4, 4);
        attached.set_attach_data(std::string("\x00\x01\x02", 3));
        w.expectTargeted(1, tttest::makeFrame(3, kMsgData, 0, attached), {4}, "MSG_DATA with attach_data");
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(TargetedDestinationsTest);
