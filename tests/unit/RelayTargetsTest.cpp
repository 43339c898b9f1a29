// Reading a one-to-one PDU's users in place (targeted relay): every targeted command, and
// every reason a body keeps the broadcast rules.
#include "WireFrames.h"
#include "wire/Frame.h"
#include "wire/ProtocolIds.h"
#include "wire/RelayTargets.h"

#include "IM.Buddy.pb.h"
#include "IM.File.pb.h"
#include "IM.Group.pb.h"
#include "IM.Message.pb.h"
#include "IM.Server.pb.h"
#include "IM.SwitchService.pb.h"

#include <cppunit/extensions/HelperMacros.h>

using ttroute::RelayTargets;

namespace
{

/// relayTargets() of a frame built from `bytes`.
std::optional<RelayTargets> targetsOf(const std::string& bytes)
{
    ttroute::FrameView frame{ttroute::readFrameHeader(bytes.data()), bytes.data()};
    return ttroute::relayTargets(frame);
}

std::vector<std::uint32_t> users(const std::optional<RelayTargets>& targets)
{
    return targets ? std::vector<std::uint32_t>(targets->users, targets->users + targets->count) : std::vector<std::uint32_t>{};
}

IM::Message::IMMsgData msgData(std::uint32_t from, std::uint32_t to, IM::BaseDefine::MsgType type)
{
    IM::Message::IMMsgData data;
    data.set_from_user_id(from);
    data.set_to_session_id(to);
    data.set_msg_id(9);
    data.set_create_time(1700000000);
    data.set_msg_type(type);
    data.set_msg_data("hello");
    return data;
}

/// A FILE_NOTIFY from user 7 to user 8 with every required field and no address.
IM::File::IMFileNotify fileNotify()
{
    IM::File::IMFileNotify file;
    file.set_from_user_id(7);
    file.set_to_user_id(8);
    file.set_file_name("a.txt");
    file.set_file_size(3);
    file.set_task_id("t");
    file.set_trans_mode(IM::BaseDefine::FILE_TYPE_OFFLINE);
    file.set_offline_ready(1);
    return file;
}

} // namespace

class RelayTargetsTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(RelayTargetsTest);
    CPPUNIT_TEST(singleChatMsgDataNamesSenderAndRecipient);
    CPPUNIT_TEST(groupMsgDataIsBroadcast);
    CPPUNIT_TEST(everyOtherTargetedCommandNamesItsUsers);
    CPPUNIT_TEST(broadcastOnlyCommandsAreNotTargeted);
    CPPUNIT_TEST(bodiesTheParserWouldRejectAreBroadcast);
    CPPUNIT_TEST(lastValueWinsAndUnknownFieldsAreSkipped);
    CPPUNIT_TEST(fileNotifyAddressesAreCheckedLikeTheParserDoes);
    CPPUNIT_TEST_SUITE_END();

public:
    void singleChatMsgDataNamesSenderAndRecipient()
    {
        for (auto type : {IM::BaseDefine::MSG_TYPE_SINGLE_TEXT, IM::BaseDefine::MSG_TYPE_SINGLE_AUDIO})
            CPPUNIT_ASSERT((users(targetsOf(tttest::makeFrame(3, 0x0301, 0, msgData(11, 22, type)))) == std::vector<std::uint32_t>{11, 22}));
    }

    void groupMsgDataIsBroadcast()
    {
        for (auto type : {IM::BaseDefine::MSG_TYPE_GROUP_TEXT, IM::BaseDefine::MSG_TYPE_GROUP_AUDIO})
            CPPUNIT_ASSERT(!targetsOf(tttest::makeFrame(3, 0x0301, 0, msgData(11, 22, type))));
    }

    void everyOtherTargetedCommandNamesItsUsers()
    {
        IM::SwitchService::IMP2PCmdMsg p2p;
        p2p.set_from_user_id(5);
        p2p.set_to_user_id(6);
        p2p.set_cmd_msg_data("shake");
        CPPUNIT_ASSERT((users(targetsOf(tttest::makeFrame(6, 0x0601, 0, p2p))) == std::vector<std::uint32_t>{5, 6}));

        IM::File::IMFileNotify file = fileNotify();
        auto* ip = file.add_ip_addr_list();
        ip->set_ip("10.0.0.1");
        ip->set_port(8600);
        CPPUNIT_ASSERT((users(targetsOf(tttest::makeFrame(5, 0x0508, 0, file))) == std::vector<std::uint32_t>{8}));

        IM::Message::IMMsgDataReadNotify read;
        read.set_user_id(9);
        read.set_session_id(10);
        read.set_msg_id(1);
        read.set_session_type(IM::BaseDefine::SESSION_TYPE_SINGLE);
        CPPUNIT_ASSERT((users(targetsOf(tttest::makeFrame(3, 0x0304, 0, read))) == std::vector<std::uint32_t>{9}));

        IM::Server::IMServerKickUser kick;
        kick.set_user_id(12);
        kick.set_client_type(IM::BaseDefine::CLIENT_TYPE_ANDROID);
        kick.set_reason(1);
        CPPUNIT_ASSERT((users(targetsOf(tttest::makeFrame(7, 0x070d, 0, kick))) == std::vector<std::uint32_t>{12}));

        IM::Buddy::IMRemoveSessionNotify remove;
        remove.set_user_id(13);
        remove.set_session_type(IM::BaseDefine::SESSION_TYPE_GROUP);
        remove.set_session_id(99);
        CPPUNIT_ASSERT((users(targetsOf(tttest::makeFrame(2, 0x020f, 0, remove))) == std::vector<std::uint32_t>{13}));
    }

    void broadcastOnlyCommandsAreNotTargeted()
    {
        IM::Group::IMGroupChangeMemberNotify group;
        group.set_user_id(1);
        group.set_change_type(IM::BaseDefine::GROUP_MODIFY_TYPE_ADD);
        group.set_group_id(2);
        CPPUNIT_ASSERT(!targetsOf(tttest::makeFrame(4, 0x040b, 0, group)));
        IM::Buddy::IMSignInfoChangedNotify sign;
        sign.set_changed_user_id(1);
        sign.set_sign_info("hi");
        CPPUNIT_ASSERT(!targetsOf(tttest::makeFrame(2, 0x0215, 0, sign)));
        CPPUNIT_ASSERT(!targetsOf(tttest::makeRawFrame(7, 0x0701, 0, "")));
    }

    void bodiesTheParserWouldRejectAreBroadcast()
    {
        const std::string valid = msgData(11, 22, IM::BaseDefine::MSG_TYPE_SINGLE_TEXT).SerializeAsString();
        // Every truncation that the generated parser rejects is broadcast, none is targeted.
        for (std::size_t length = 0; length < valid.size(); ++length)
        {
            const std::string body = valid.substr(0, length);
            IM::Message::IMMsgData parsed;
            const bool parses = parsed.ParsePartialFromString(body) && parsed.IsInitialized();
            CPPUNIT_ASSERT_EQUAL_MESSAGE("length " + std::to_string(length), parses, targetsOf(tttest::makeRawFrame(3, 0x0301, 0, body)).has_value());
        }
        // A required field missing.
        auto noRecipient = msgData(11, 22, IM::BaseDefine::MSG_TYPE_SINGLE_TEXT);
        noRecipient.clear_to_session_id();
        CPPUNIT_ASSERT(!targetsOf(tttest::makeRawFrame(3, 0x0301, 0, noRecipient.SerializePartialAsString())));
        // An enum value the parser does not know (msg_type 7) leaves msg_type missing.
        auto badType = msgData(11, 22, IM::BaseDefine::MSG_TYPE_SINGLE_TEXT);
        badType.clear_msg_type();
        CPPUNIT_ASSERT(!targetsOf(tttest::makeRawFrame(3, 0x0301, 0, tttest::withVarintField(badType.SerializePartialAsString(), 5, 7))));
        // A required field with another wire type (to_session_id as bytes) is an unknown field.
        auto wireType = msgData(11, 22, IM::BaseDefine::MSG_TYPE_SINGLE_TEXT);
        wireType.clear_to_session_id();
        std::string body = wireType.SerializePartialAsString() + std::string("\x12\x01\x05", 3);
        CPPUNIT_ASSERT(!targetsOf(tttest::makeRawFrame(3, 0x0301, 0, body)));
        // Garbage.
        CPPUNIT_ASSERT(!targetsOf(tttest::makeRawFrame(3, 0x0301, 0, std::string("\xff\xff\xff", 3))));
    }

    void fileNotifyAddressesAreCheckedLikeTheParserDoes()
    {
        const std::string head = fileNotify().SerializeAsString();
        // ip_addr_list (field 6) entries, each appended as its own length-delimited field.
        const std::pair<const char*, std::string> entries[] = {
            {"valid", std::string("\x0a\x03" "1.2" "\x10\x05", 7)},
            {"no port", std::string("\x0a\x03" "1.2", 5)},
            {"no ip", std::string("\x10\x05", 2)},
            {"port as bytes", std::string("\x0a\x01" "1" "\x12\x01\x05", 6)},
            {"ip as varint", std::string("\x08\x01\x10\x05", 4)},
            {"truncated", std::string("\x0a\x09" "1.2" "\x10\x05", 7)},
            {"empty", std::string()},
            {"unknown field kept", std::string("\x0a\x01" "1" "\x10\x05\x18\x07", 7)},
        };
        for (const auto& [name, entry] : entries)
        {
            const std::string body = head + std::string("\x32", 1) + static_cast<char>(entry.size()) + entry;
            IM::File::IMFileNotify parsed;
            const bool parses = parsed.ParsePartialFromString(body) && parsed.IsInitialized();
            CPPUNIT_ASSERT_EQUAL_MESSAGE(name, parses, targetsOf(tttest::makeRawFrame(5, 0x0508, 0, body)).has_value());
        }
        // A field 6 of another wire type is an unknown field to the parser, not an address.
        const std::string unknown = tttest::withVarintField(head, 6, 1);
        CPPUNIT_ASSERT((users(targetsOf(tttest::makeRawFrame(5, 0x0508, 0, unknown))) == std::vector<std::uint32_t>{8}));
    }

    void lastValueWinsAndUnknownFieldsAreSkipped()
    {
        // As the generated parser does: a repeated singular field keeps its last value, and
        // fields it does not know are skipped.
        std::string body = msgData(11, 22, IM::BaseDefine::MSG_TYPE_SINGLE_TEXT).SerializeAsString();
        body = tttest::withVarintField(body, 2, 33);
        body = tttest::withVarintField(body, 15, 12345);
        CPPUNIT_ASSERT((users(targetsOf(tttest::makeRawFrame(3, 0x0301, 0, body))) == std::vector<std::uint32_t>{11, 33}));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RelayTargetsTest);
