// /peers and /presence of the real tthost's admin endpoint: every connection listed with what
// it sent, received and hosts, and the logins of each user per connection, client type and
// count, as a status query answers them; ids that are not plain numbers refused.
#include "AdminEndToEnd.h"
#include "AdminJson.h"
#include "MsgServerChecks.h"
#include "PollUntil.h"
#include "ProtocolConstants.h"
#include "TrafficLedger.h"
#include "WireFrames.h"

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeParser.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <cppunit/extensions/HelperMacros.h>

#include <chrono>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using tttest::addressOf;
using tttest::FakeMsgServer;
using tttest::http;
using tttest::numberField;
using tttest::peerOf;
using tttest::peersByAddress;
using tttest::pollUntil;
using tttest::query;
using tttest::stringField;
using tttest::TrafficLedger;
using namespace tttest::protocol;
using namespace std::chrono_literals;

namespace
{

/// Whether /peers lists each of `ledgers`' msg servers with a pdus_out of at least what it
/// read: the route server counts a frame a few instructions after it went out, so a msg server
/// may read it before it is counted.
bool countedWhatWasRead(std::uint16_t admin, const std::vector<TrafficLedger*>& ledgers)
{
    const auto peers = peersByAddress(admin);
    for (TrafficLedger* ledger : ledgers)
    {
        const auto found = peers.find(addressOf(ledger->fake()));
        if (found == peers.end() || found->second->optValue<Poco::UInt64>("pdus_out", 0) < ledger->pdusOut())
            return false;
    }
    return true;
}

/// A user's connections from /presence, canonical: "ID:type=count,type=count ID:..." (sorted).
std::string describeConnections(const Poco::JSON::Object::Ptr& user)
{
    CPPUNIT_ASSERT(user->has("connections") && user->isArray("connections"));
    const auto connections = user->getArray("connections");
    std::map<std::uint64_t, std::set<std::string>> byConnection;
    for (std::size_t i = 0; i < connections->size(); ++i)
    {
        const auto connection = connections->getObject(static_cast<unsigned>(i));
        CPPUNIT_ASSERT(connection);
        const std::uint64_t id = numberField(connection, "connection");
        CPPUNIT_ASSERT_MESSAGE("connection " + std::to_string(id) + " listed twice", byConnection.count(id) == 0);
        auto& entries = byConnection[id];
        CPPUNIT_ASSERT(connection->has("logins") && connection->isArray("logins"));
        const auto logins = connection->getArray("logins");
        for (std::size_t j = 0; j < logins->size(); ++j)
        {
            const auto login = logins->getObject(static_cast<unsigned>(j));
            CPPUNIT_ASSERT(login);
            entries.insert(stringField(login, "client_type") + "=" + std::to_string(numberField(login, "count")));
        }
    }
    std::string text;
    for (const auto& [id, entries] : byConnection)
    {
        text += (text.empty() ? "" : " ") + std::to_string(id) + ":";
        bool first = true;
        for (const auto& entry : entries)
        {
            text += (first ? "" : ",") + entry;
            first = false;
        }
    }
    return text;
}

/// GET /presence?`query`: 200 and the "users" array.
Poco::JSON::Array::Ptr presence(std::uint16_t admin, const std::string& query)
{
    const auto object = tttest::getJson(admin, "/presence?" + query);
    CPPUNIT_ASSERT_MESSAGE("no list of users in /presence?" + query, object->isArray("users"));
    return object->getArray("users");
}

} // namespace

class AdminPeersPresenceTest : public AdminEndToEnd
{
    CPPUNIT_TEST_SUITE(AdminPeersPresenceTest);
    CPPUNIT_TEST(peersListsEveryConnection);
    CPPUNIT_TEST(presenceReportsLoginsPerConnection);
    CPPUNIT_TEST(presenceRejectsIdsThatAreNotPlainNumbers);
    CPPUNIT_TEST_SUITE_END();

public:
    /// Issue: /peers has one entry per fake server with remote_address its local address,
    /// distinct ids, master null before ROLE_SET and true/false after, users_hosted as logged
    /// in, pdus_in and bytes_in at least what each sent, pdus_out at least what each received;
    /// a closed server leaves the list.
    void peersListsEveryConnection()
    {
        const std::uint16_t admin = startWithAdmin(adminProperties());
        // Each msg server's PDUs go through a ledger of what the server must count for it.
        TrafficLedger f1(connectSilentMsgServer());
        TrafficLedger f2(connectSilentMsgServer());
        TrafficLedger f3(connectSilentMsgServer());
        const std::vector<TrafficLedger*> fakes{&f1, &f2, &f3};
        for (TrafficLedger* fake : fakes)
            CPPUNIT_ASSERT(fake->sync().empty());

        f1.send(tttest::statusUpdate(10, kOnline, kWindows));
        f1.send(tttest::statusUpdate(11, kOnline, kAndroid));
        f2.send(tttest::statusUpdate(12, kOnline, kMac));
        f3.send(tttest::msgData(10, 12, 1, "hello"));
        for (TrafficLedger* fake : fakes)
            fake->sync();

        auto checkPeers = [&](const std::map<std::string, std::string>& expectedMaster) {
            pollUntil(
                [&] {
                    std::ostringstream json;
                    tttest::getJson(admin, "/peers")->stringify(json);
                    return "/peers counts at least what each msg server read: " + json.str();
                },
                [&] { return countedWhatWasRead(admin, fakes); }, 10s);
            CPPUNIT_ASSERT_EQUAL(std::size_t(3), peersByAddress(admin).size());
            std::set<std::uint64_t> ids;
            const std::map<TrafficLedger*, std::uint64_t> hosted{{&f1, 2}, {&f2, 1}, {&f3, 0}};
            for (TrafficLedger* fake : fakes)
            {
                const std::string address = addressOf(fake->fake());
                const auto peer = peerOf(admin, fake->fake());
                std::ostringstream json;
                peer->stringify(json);
                const std::string context = address + ": " + json.str();
                CPPUNIT_ASSERT_MESSAGE("ids not distinct: " + context, ids.insert(numberField(peer, "id")).second);
                Poco::DateTime since;
                int zone = 0;
                CPPUNIT_ASSERT_MESSAGE(context, Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::ISO8601_FRAC_FORMAT,
                                                                               stringField(peer, "connected_since"), since, zone));
                CPPUNIT_ASSERT_MESSAGE(context, peer->has("master"));
                const std::string master = expectedMaster.at(address);
                if (master == "null")
                    CPPUNIT_ASSERT_MESSAGE("master should be null: " + context, peer->isNull("master"));
                else
                {
                    CPPUNIT_ASSERT_MESSAGE("master should be a boolean: " + context, peer->get("master").isBoolean());
                    CPPUNIT_ASSERT_EQUAL_MESSAGE(context, master == "true", peer->get("master").extract<bool>());
                }
                CPPUNIT_ASSERT_EQUAL_MESSAGE(context, hosted.at(fake), numberField(peer, "users_hosted"));
                CPPUNIT_ASSERT_MESSAGE(context + " sent " + std::to_string(fake->pdusIn()), numberField(peer, "pdus_in") >= fake->pdusIn());
                CPPUNIT_ASSERT_MESSAGE(context + " sent bytes " + std::to_string(fake->bytesIn()), numberField(peer, "bytes_in") >= fake->bytesIn());
                CPPUNIT_ASSERT_MESSAGE(context + " received " + std::to_string(fake->pdusOut()), numberField(peer, "pdus_out") >= fake->pdusOut());
                CPPUNIT_ASSERT_MESSAGE(context, numberField(peer, "bytes_out") >= numberField(peer, "pdus_out") * 16);
                numberField(peer, "queue_bytes");
            }
        };
        checkPeers({{addressOf(f1.fake()), "null"}, {addressOf(f2.fake()), "null"}, {addressOf(f3.fake()), "null"}});

        f1.send(tttest::roleSet(true));
        f2.send(tttest::roleSet(false));
        for (TrafficLedger* fake : fakes)
            fake->sync();
        checkPeers({{addressOf(f1.fake()), "true"}, {addressOf(f2.fake()), "false"}, {addressOf(f3.fake()), "null"}});

        // A server that goes leaves the list.
        const std::string goneAddress = addressOf(f3.fake());
        f3.fake().close();
        pollUntil("the closed msg server gone from /peers", [&] { return peersByAddress(admin).size() == 2; }, 10s);
        const auto peers = peersByAddress(admin);
        CPPUNIT_ASSERT(peers.count(goneAddress) == 0);
        CPPUNIT_ASSERT(peers.count(addressOf(f1.fake())) == 1 && peers.count(addressOf(f2.fake())) == 1);
        stopCleanly();
    }

    /// Issue: /presence?user=A&user=unknown lists A online with each connection and its
    /// client types and counts exactly, the unknown user offline with no connections; a
    /// mobile-only user reads offline with its logins listed, as a status query answers.
    void presenceReportsLoginsPerConnection()
    {
        const std::uint16_t admin = startWithAdmin(adminProperties());
        FakeMsgServer& f1 = connectMsgServer();
        FakeMsgServer& f2 = connectMsgServer();

        const std::uint32_t userA = 100, mobileOnly = 101, unknown = 999999;
        f1.send(tttest::statusUpdate(userA, kOnline, kWindows));
        f1.send(tttest::statusUpdate(userA, kOnline, kWindows));
        f1.send(tttest::statusUpdate(userA, kOnline, kAndroid));
        f2.send(tttest::statusUpdate(userA, kOnline, kMac));
        f2.send(tttest::statusUpdate(mobileOnly, kOnline, kIos));
        f1.sync();
        f2.sync();
        f1.sync(); // f2's notifications to f1 are read: the status query below gets its answer first

        CPPUNIT_ASSERT_EQUAL(std::size_t(2), peersByAddress(admin).size());
        const std::uint64_t id1 = numberField(peerOf(admin, f1), "id");
        const std::uint64_t id2 = numberField(peerOf(admin, f2), "id");
        auto connectionText = [&](const std::map<std::uint64_t, std::string>& logins) {
            std::string joined;
            for (const auto& [id, entries] : logins)
                joined += (joined.empty() ? "" : " ") + std::to_string(id) + ":" + entries;
            return joined;
        };

        auto users = presence(admin, "user=" + std::to_string(userA) + "&user=" + std::to_string(unknown));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), users->size());
        const auto a = users->getObject(0);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(userA), numberField(a, "user_id"));
        CPPUNIT_ASSERT_EQUAL(std::string("online"), stringField(a, "status"));
        CPPUNIT_ASSERT_EQUAL(connectionText({{id1, "android=1,windows=2"}, {id2, "mac=1"}}), describeConnections(a));
        const auto nobody = users->getObject(1);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(unknown), numberField(nobody, "user_id"));
        CPPUNIT_ASSERT_EQUAL(std::string("offline"), stringField(nobody, "status"));
        CPPUNIT_ASSERT_EQUAL(std::string(), describeConnections(nobody));

        users = presence(admin, "user=" + std::to_string(mobileOnly));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), users->size());
        const auto mobile = users->getObject(0);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(mobileOnly), numberField(mobile, "user_id"));
        CPPUNIT_ASSERT_EQUAL(std::string("offline"), stringField(mobile, "status"));
        CPPUNIT_ASSERT_EQUAL(connectionText({{id2, "ios=1"}}), describeConnections(mobile));

        // The same answers as a status query gives.
        CPPUNIT_ASSERT_EQUAL(std::string("100:1 101:2 999999:2 "), query(f1, {userA, mobileOnly, unknown}));

        // One windows login of A goes: the count follows.
        f1.send(tttest::statusUpdate(userA, kOffline, kWindows));
        f1.sync();
        users = presence(admin, "user=" + std::to_string(userA));
        CPPUNIT_ASSERT_EQUAL(connectionText({{id1, "android=1,windows=1"}, {id2, "mac=1"}}), describeConnections(users->getObject(0)));

        // Missing or non-numeric ids: 400 with a JSON error.
        for (const std::string path : {"/presence", "/presence?", "/presence?id=100", "/presence?user=", "/presence?user=abc",
                                       "/presence?user=12x", "/presence?user=100&user=x", "/presence?user=-1", "/presence?user=4294967296"})
            assertJsonError(path, http(admin, path), 400);
        stopCleanly();
    }

    /// Issue ("missing or non-numeric user -> 400"): ids with a comma are not numbers; they
    /// must not be read as some other user (Poco's NumberParser skips ',' as a thousands
    /// separator: "1,000" would be user 1000 and "," user 0).
    void presenceRejectsIdsThatAreNotPlainNumbers()
    {
        const std::uint16_t admin = startWithAdmin(adminProperties());
        for (const std::string path : {"/presence?user=,", "/presence?user=1,2", "/presence?user=1,000"})
            assertJsonError(path, http(admin, path), 400);
        stopCleanly();
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(AdminPeersPresenceTest);
