// integration_faults, what does not parse or is not known: bodies the generated parsers
// refuse (random, mutated, truncated, fields of the wrong wire type) are dropped and the
// connection stays; unknown service and command ids are ignored, and dispatch is by command id
// alone (protocol.md §2; Faults.h).
#include "DiagnosticText.h"
#include "FakeMsgServer.h"
#include "Faults.h"
#include "FrameAssertions.h"
#include "MsgServerChecks.h"
#include "ProtocolConstants.h"
#include "WireFrames.h"

#include "IM.BaseDefine.pb.h"
#include "IM.Buddy.pb.h"
#include "IM.Server.pb.h"

#include <google/protobuf/message_lite.h>

#include <cppunit/extensions/HelperMacros.h>

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

using namespace tttest;
using namespace tttest::protocol;

namespace
{

/// True when the generated parser of `prototype`'s type accepts `body`, required fields
/// included (checked without libprotobuf's error print).
bool parses(const google::protobuf::MessageLite& prototype, const std::string& body)
{
    std::unique_ptr<google::protobuf::MessageLite> message(prototype.New());
    return message->ParsePartialFromString(body) && message->IsInitialized();
}

/// Random bodies of 1 to 48 bytes that `prototype`'s generated parser rejects (required
/// fields included), from a fixed seed so a failure can be replayed.
std::vector<std::string> randomInvalidBodies(const google::protobuf::MessageLite& prototype, std::size_t count, unsigned seed)
{
    std::mt19937 random(seed);
    std::vector<std::string> bodies;
    while (bodies.size() < count)
    {
        std::string body(1 + random() % 48, '\0');
        for (char& byte : body)
            byte = static_cast<char>(random() & 0xFF);
        if (!parses(prototype, body))
            bodies.push_back(body);
    }
    return bodies;
}

/// Copies of the valid `body` with one to three bytes overwritten at random that
/// `prototype`'s generated parser rejects, from a fixed seed: garbage that gets further into
/// the parser than random bytes do.
std::vector<std::string> invalidMutations(const google::protobuf::MessageLite& prototype, const std::string& body, std::size_t count,
                                          unsigned seed)
{
    std::mt19937 random(seed);
    std::vector<std::string> bodies;
    for (std::size_t tries = 0; bodies.size() < count && tries < 100000; ++tries)
    {
        std::string mutated = body;
        for (std::uint32_t n = 1 + random() % 3; n > 0; --n)
            mutated[random() % mutated.size()] = static_cast<char>(random() & 0xFF);
        if (!parses(prototype, mutated))
            bodies.push_back(mutated);
    }
    return bodies;
}

/// Every proper prefix of the valid `body` that `prototype`'s generated parser rejects (a
/// prefix ending between two fields can be a valid message of its own: that one is left out).
std::vector<std::string> invalidTruncations(const google::protobuf::MessageLite& prototype, const std::string& body)
{
    std::vector<std::string> prefixes;
    for (std::size_t size = 0; size < body.size(); ++size)
    {
        if (!parses(prototype, body.substr(0, size)))
            prefixes.push_back(body.substr(0, size));
    }
    return prefixes;
}

/// A raw protobuf body from bytes written as a string literal of \x escapes.
std::string raw(const char* bytes, std::size_t size)
{
    return std::string(bytes, size);
}

} // namespace

class FaultGarbageTest : public Faults
{
    CPPUNIT_TEST_SUITE(FaultGarbageTest);
    CPPUNIT_TEST(garbageBodiesAreDroppedAndTheConnectionStays);
    CPPUNIT_TEST(unknownServiceAndCommandIdsAreIgnored);
    CPPUNIT_TEST_SUITE_END();

public:
    void garbageBodiesAreDroppedAndTheConnectionStays()
    {
        start();
        auto [a, b, c] = admitMsgServers<3>();
        a->send(tttest::onlineUserInfo({{11001, kOnline, kWindows}}));
        assertNothing(a->sync(), "a");

        struct Command
        {
            std::uint16_t service;
            std::uint16_t command;
            std::string name;
            std::unique_ptr<google::protobuf::MessageLite> prototype;
            std::string valid;                  ///< a valid body to truncate
            std::vector<std::string> wrongTypes; ///< valid protobuf, but a required field has another wire type
        };
        std::vector<Command> commands;
        {
            IM::Server::IMUserStatusUpdate update;
            update.set_user_status(kOnline);
            update.set_user_id(0x0FFFFFFF);
            update.set_client_type(IM::BaseDefine::CLIENT_TYPE_ANDROID);
            commands.push_back({7, 0x070a, "USER_STATUS_UPDATE", std::make_unique<IM::Server::IMUserStatusUpdate>(), update.SerializeAsString(),
                                {raw("\x0a\x01\x01\x10\x99\x01\x18\x01", 8),             // user_status as bytes
                                 raw("\x08\x01\x15\x99\x2b\x00\x00\x18\x01", 9),         // user_id as fixed32
                                 raw("\x08\x01\x10\x99\x2b\x1a\x02\x08\x01", 9),         // client_type as a message
                                 raw("\x08\x01\x10\x99\x2b\x18\x07", 7)}});              // client_type not a ClientType
        }
        {
            IM::Server::IMOnlineUserInfo info;
            for (std::uint32_t id : {0x0FFFFFF0u, 0x0FFFFFF1u})
            {
                auto* stat = info.add_user_stat_list();
                stat->set_user_id(id);
                stat->set_status(IM::BaseDefine::USER_STATUS_ONLINE);
                stat->set_client_type(IM::BaseDefine::CLIENT_TYPE_WINDOWS);
            }
            // A valid entry for 11100 first: the whole list goes, not just the bad entry.
            const std::string good = raw("\x0a\x07\x08\xdc\x56\x10\x01\x18\x01", 9);
            commands.push_back({7, 0x0708, "ONLINE_USER_INFO", std::make_unique<IM::Server::IMOnlineUserInfo>(), info.SerializeAsString(),
                                {good + raw("\x0a\x08\x0a\x02\xdd\x56\x10\x01\x18\x01", 10),     // user_id as bytes
                                 good + raw("\x0a\x0a\x08\xdd\x56\x15\x01\x00\x00\x00\x18\x01", 12), // status as fixed32
                                 good + raw("\x0a\x0e\x08\xdd\x56\x10\x01\x19\x01\x00\x00\x00\x00\x00\x00\x00", 16)}}); // client_type as fixed64
        }
        {
            IM::Buddy::IMUsersStatReq request;
            request.set_user_id(0x0FFFFFFF);
            for (std::uint32_t id : {0x0FFFFFF0u, 2u, 3u})
                request.add_user_id_list(id);
            request.set_attach_data("attach");
            commands.push_back({2, 0x020a, "USERS_STATUS_REQUEST", std::make_unique<IM::Buddy::IMUsersStatReq>(), request.SerializeAsString(),
                                {raw("\x0a\x02\x01\x02\x10\x05", 6),                     // user_id as bytes
                                 raw("\x0d\x01\x00\x00\x00\x10\x05", 7),                 // user_id as fixed32
                                 raw("\x0b\x0c\x10\x05", 4),                             // user_id as an (empty) group
                                 raw("\x08\x01\x12\x02\xff\xff", 6)}});                  // packed ids, malformed varint
        }
        {
            IM::Server::IMRoleSet role;
            role.set_master(1);
            commands.push_back({7, 0x0707, "ROLE_SET", std::make_unique<IM::Server::IMRoleSet>(), role.SerializeAsString(),
                                {raw("\x0a\x01\x31", 3),                                 // master as bytes
                                 raw("\x09\x01\x00\x00\x00\x00\x00\x00\x00", 9)}});      // master as fixed64
        }

        unsigned seed = 1;
        for (const auto& command : commands)
        {
            std::vector<std::string> bodies = randomInvalidBodies(*command.prototype, 40, seed++);
            const auto mutated = invalidMutations(*command.prototype, command.valid, 40, seed++);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(command.name, std::size_t(40), mutated.size());
            bodies.insert(bodies.end(), mutated.begin(), mutated.end());
            const auto truncated = invalidTruncations(*command.prototype, command.valid);
            CPPUNIT_ASSERT_MESSAGE(command.name, truncated.size() >= 2);
            bodies.insert(bodies.end(), truncated.begin(), truncated.end());
            for (const auto& body : command.wrongTypes)
            {
                CPPUNIT_ASSERT_MESSAGE(command.name + ": a wrong-type body the test means to be invalid parses", !parses(*command.prototype, body));
                bodies.push_back(body);
            }
            std::string burst;
            std::uint16_t seq = 1;
            for (const auto& body : bodies)
                burst += tttest::makeRawFrame(command.service, command.command, seq++, body);
            a->send(burst);
            // Nothing answered, nothing announced, nothing relayed; the connection stays.
            assertNothing(a->sync(), "a after garbage " + command.name);
            assertNothing(b->sync(), "b after garbage " + command.name);
            assertNothing(c->sync(), "c after garbage " + command.name);
        }
        CPPUNIT_ASSERT_MESSAGE(served().log(), !served().waitForLine({a->logName(), "is not a valid message"}).empty());
        CPPUNIT_ASSERT_MESSAGE(served().log(), served().log().find("calls itself") == std::string::npos);
        // Presence is as before the garbage: 11001 online, nothing of the bad lists applied.
        CPPUNIT_ASSERT_EQUAL(statuses({kOnline, kOffline, kOffline, kOffline}),
                             statuses(queryStatuses(*b, {11001, 11100, 11101, 0x0FFFFFF0})));

        // The next valid frames of every command work.
        a->send(tttest::statusUpdate(11002, kOnline, kWindows));
        for (FakeMsgServer* fake : {a.get(), b.get(), c.get()})
            assertStatusNotifications(fake->sync(), 11002, 1, kOnline, "after a valid USER_STATUS_UPDATE", NotificationHeader::IdsOnly);
        a->send(tttest::onlineUserInfo({{11003, kOnline, kMac}}));
        a->send(tttest::roleSet(true));
        assertNothing(a->sync(), "a");
        CPPUNIT_ASSERT_MESSAGE(served().log(), !served().waitForLine({a->logName(), "calls itself master"}).empty());
        CPPUNIT_ASSERT_EQUAL(statuses({kOnline, kOnline, kOnline}), statuses(queryStatuses(*a, {11001, 11002, 11003})));
        assertSurvivorsWork({a.get(), b.get(), c.get()}, 11);
    }

    void unknownServiceAndCommandIdsAreIgnored()
    {
        start();
        auto [a, b, c] = admitMsgServers<3>();
        const std::string m1 = tttest::msgData(12001, 12002, 1, "before");
        const std::string m2 = tttest::msgData(12001, 12002, 2, "between");
        const std::string m3 = tttest::msgData(12001, 12002, 3, "after");
        std::string burst = m1;
        const std::vector<std::pair<std::uint16_t, std::uint16_t>> unknown{
            {7, 0x0799}, {0, 0}, {0xFFFF, 0xFFFF}, {3, 0x0302}, {1, 0x0103}, {5, 0x0509}, {0x1234, 0x5678},
            {2, kBuddyStatusNotify}, {2, kUsersStatusResponse}, {7, kLoginStatusNotify}, // route -> msg only
        };
        std::uint16_t seq = 1;
        for (const auto& [service, command] : unknown)
        {
            burst += tttest::makeRawFrame(service, command, seq, patternedBytes(seq * 7u, seq));
            ++seq;
        }
        burst += tttest::makeRawFrame(0x4242, 0x4242, seq, patternedBytes(200 * 1024, 9)); // large, unknown
        burst += m2 + tttest::statusUpdate(12001, kOnline, kWindows) + tttest::makeRawFrame(7, 0x07ff, seq + 1, "") + m3;
        a->send(burst);

        const auto atA = a->sync();
        assertStatusNotifications(atA, 12001, 1, kOnline, "a", NotificationHeader::IdsOnly);
        for (FakeMsgServer* other : {b.get(), c.get()})
        {
            const auto got = other->sync();
            CPPUNIT_ASSERT_EQUAL_MESSAGE(describeFrames(got), std::size_t(5), got.size());
            assertSameBytes(m1, got[0].bytes, "m1");
            assertSameBytes(m2, got[1].bytes, "m2");
            assertLoginStatus(got[2], 12001, 1, "other", NotificationHeader::IdsOnly);
            assertBuddyStatus(got[3], 12001, kOnline, "other", NotificationHeader::IdsOnly);
            assertSameBytes(m3, got[4].bytes, "m3");
        }
        CPPUNIT_ASSERT_MESSAGE(served().log(), !served().waitForLine({a->logName(), "ignored frame with service 0x0007, command 0x0799"}).empty());
        CPPUNIT_ASSERT_MESSAGE(served().log(), served().log().find("disconnected") == std::string::npos);

        // Dispatch is by command id alone (protocol.md §2): a relayed command under an unknown
        // service id is relayed as received.
        const std::string oddService = tttest::makeRawFrame(0x0099, kMsgData, 0x77, patternedBytes(50, 3));
        a->send(oddService);
        assertNothing(a->sync(), "a");
        assertFrames({oddService}, b->sync(), "b");
        assertFrames({oddService}, c->sync(), "c");
        assertSurvivorsWork({a.get(), b.get(), c.get()}, 12);
        CPPUNIT_ASSERT_EQUAL(statuses({kOnline}), statuses(queryStatuses(*c, {12001})));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(FaultGarbageTest);
