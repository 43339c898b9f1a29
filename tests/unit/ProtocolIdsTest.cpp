// Command ids, their counter slots and their names agree (protocol.md §2).
#include "wire/ProtocolIds.h"

#include <cppunit/extensions/HelperMacros.h>

#include <cctype>
#include <set>
#include <string>

class ProtocolIdsTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(ProtocolIdsTest);
    CPPUNIT_TEST(everyCommandHasItsOwnSlotAndName);
    CPPUNIT_TEST(otherIdsShareTheLastSlot);
    CPPUNIT_TEST_SUITE_END();

public:
    void everyCommandHasItsOwnSlotAndName()
    {
        using namespace ttroute::CommandId;
        const std::pair<std::uint16_t, std::string> commands[] = {
            {Heartbeat, "HEARTBEAT"},
            {RoleSet, "ROLE_SET"},
            {OnlineUserInfo, "ONLINE_USER_INFO"},
            {UserStatusUpdate, "USER_STATUS_UPDATE"},
            {ServerKickUser, "SERVER_KICK_USER"},
            {LoginStatusNotify, "LOGIN_STATUS_NOTIFY"},
            {BuddyStatusNotify, "BUDDY_LIST_STATUS_NOTIFY"},
            {UsersStatusRequest, "USERS_STATUS_REQUEST"},
            {UsersStatusResponse, "USERS_STATUS_RESPONSE"},
            {RemoveSessionNotify, "REMOVE_SESSION_NOTIFY"},
            {SignInfoChangedNotify, "SIGN_INFO_CHANGED_NOTIFY"},
            {MsgData, "MSG_DATA"},
            {MsgReadNotify, "MSG_READ_NOTIFY"},
            {GroupChangeMemberNotify, "GROUP_CHANGE_MEMBER_NOTIFY"},
            {FileNotify, "FILE_NOTIFY"},
            {SwitchP2PCmd, "SWITCH_P2P_CMD"},
        };
        std::set<std::size_t> slots;
        for (const auto& [id, name] : commands)
        {
            const std::size_t slot = ttroute::commandSlot(id);
            CPPUNIT_ASSERT_MESSAGE(name, slot < ttroute::kCommandSlots - 1);
            CPPUNIT_ASSERT_MESSAGE(name + " shares a slot", slots.insert(slot).second);
            CPPUNIT_ASSERT_EQUAL(name, std::string(ttroute::commandName(id)));
            std::string label = name;
            for (char& c : label)
                c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            CPPUNIT_ASSERT_EQUAL(label, std::string(ttroute::commandLabel(slot)));
        }
    }

    void otherIdsShareTheLastSlot()
    {
        for (std::uint16_t id : {0x0000, 0x0702, 0x0302, 0xffff})
        {
            CPPUNIT_ASSERT_EQUAL(ttroute::kCommandSlots - 1, ttroute::commandSlot(id));
            CPPUNIT_ASSERT_EQUAL(std::string("UNKNOWN"), std::string(ttroute::commandName(id)));
        }
        CPPUNIT_ASSERT_EQUAL(std::string("other"), std::string(ttroute::commandLabel(ttroute::kCommandSlots - 1)));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ProtocolIdsTest);
