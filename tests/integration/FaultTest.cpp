// Faults and limits: hostile or broken peers against the plugin, loaded as tthost loads it and
// served on 127.0.0.1 (ephemeral port). Every test hits one limit or fault with one peer and
// then checks that this peer alone was affected: the others keep relaying, keep getting
// answers, and lose nothing they sent (protocol.md §1, §5, §7 and the route.* limits).
#include "DiagnosticText.h"
#include "FakeMsgServer.h"
#include "FrameAssertions.h"
#include "Lifeline.h"
#include "MsgServerChecks.h"
#include "ProcessMemory.h"
#include "ProtocolConstants.h"
#include "ServedPlugin.h"
#include "WireFrames.h"

#include "IM.BaseDefine.pb.h"
#include "IM.Buddy.pb.h"
#include "IM.Message.pb.h"
#include "IM.Server.pb.h"

#include <Poco/Exception.h>

#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

using tttest::assertBuddyStatus;
using tttest::assertFrames;
using tttest::assertLoginStatus;
using tttest::assertNothing;
using tttest::assertSameBytes;
using tttest::assertStatusNotifications;
using tttest::connectAdmitted;
using tttest::describeFrames;
using tttest::FakeMsgServer;
using tttest::Lifeline;
using tttest::NotificationHeader;
using tttest::liveHeapBytes;
using tttest::patternedBytes;
using tttest::queryStatuses;
using tttest::rssKiB;
using tttest::threadCount;
using tttest::ServedPlugin;
using tttest::settleAllocator;
using tttest::statuses;
using tttest::WireFrame;
using namespace tttest::protocol;
using namespace std::chrono_literals;

namespace
{

using Clock = std::chrono::steady_clock;

/// Asserts `frames` are exactly the PDUs `expected`, byte for byte, in any order (for frames
/// from different connections, whose interleaving is up to the threads).
void assertFramesAnyOrder(std::vector<std::string> expected, const std::vector<WireFrame>& frames, const std::string& who)
{
    CPPUNIT_ASSERT_EQUAL_MESSAGE(who + " got " + describeFrames(frames), expected.size(), frames.size());
    std::vector<std::string> got;
    for (const auto& frame : frames)
        got.push_back(frame.bytes);
    std::sort(expected.begin(), expected.end());
    std::sort(got.begin(), got.end());
    CPPUNIT_ASSERT_MESSAGE(who + " got other frames than expected: " + describeFrames(frames), expected == got);
}

/// Asserts `frames` are exactly the announcements of a lost connection (protocol.md §7):
/// one BUDDY_LIST_STATUS_NOTIFY OFFLINE for each of `offline`, preceded (for the users in
/// `stillKnown` only) by one LOGIN_STATUS_NOTIFY 0; users in any order, nothing else.
void assertOfflineAnnouncements(const std::vector<WireFrame>& frames, const std::set<std::uint32_t>& offline,
                                const std::set<std::uint32_t>& stillKnown, const std::string& who)
{
    std::map<std::uint32_t, int> buddy;
    std::map<std::uint32_t, int> login;
    for (const auto& frame : frames)
    {
        if (frame.commandId == kLoginStatusNotify)
        {
            IM::Server::IMServerPCLoginStatusNotify notify;
            CPPUNIT_ASSERT_MESSAGE(who + " " + describeFrames({frame}), frame.parse(notify));
            const std::uint32_t user = notify.user_id();
            CPPUNIT_ASSERT_MESSAGE(who + ": LOGIN_STATUS_NOTIFY for user " + std::to_string(user) + ", who is not still known elsewhere",
                                   stillKnown.count(user) == 1);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(who + ": login_status for user " + std::to_string(user), std::uint32_t(0), notify.login_status());
            CPPUNIT_ASSERT_MESSAGE(who + ": LOGIN_STATUS_NOTIFY after BUDDY_LIST_STATUS_NOTIFY for user " + std::to_string(user),
                                   buddy.count(user) == 0);
            ++login[user];
            continue;
        }
        CPPUNIT_ASSERT_EQUAL_MESSAGE(who + ": unexpected " + describeFrames({frame}), kBuddyStatusNotify, frame.commandId);
        IM::Buddy::IMUserStatNotify notify;
        CPPUNIT_ASSERT_MESSAGE(who + " " + describeFrames({frame}), frame.parse(notify));
        const std::uint32_t user = notify.user_stat().user_id();
        CPPUNIT_ASSERT_MESSAGE(who + ": BUDDY_LIST_STATUS_NOTIFY for user " + std::to_string(user) + ", who did not go offline",
                               offline.count(user) == 1);
        CPPUNIT_ASSERT_MESSAGE(who + ": status for user " + std::to_string(user),
                               notify.user_stat().status() == IM::BaseDefine::USER_STATUS_OFFLINE);
        ++buddy[user];
    }
    for (std::uint32_t user : offline)
        CPPUNIT_ASSERT_EQUAL_MESSAGE(who + ": BUDDY_LIST_STATUS_NOTIFY count for user " + std::to_string(user), 1, buddy[user]);
    for (std::uint32_t user : stillKnown)
        CPPUNIT_ASSERT_EQUAL_MESSAGE(who + ": LOGIN_STATUS_NOTIFY count for user " + std::to_string(user), 1, login[user]);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(who + " got " + describeFrames(frames), offline.size() + stillKnown.size(), frames.size());
}

/// Asserts `frames` are exactly the announcements of users coming back online after they
/// were announced offline (protocol.md §7): for each user of `back`, LOGIN_STATUS_NOTIFY 1
/// then BUDDY_LIST_STATUS_NOTIFY with its status; users in any order, nothing else.
void assertOnlineAgainAnnouncements(const std::vector<WireFrame>& frames, const std::map<std::uint32_t, std::uint32_t>& back,
                                    const std::string& who)
{
    CPPUNIT_ASSERT_EQUAL_MESSAGE(who + " got " + std::to_string(frames.size()) + " frames", 2 * back.size(), frames.size());
    std::set<std::uint32_t> seen;
    for (std::size_t i = 0; i < frames.size(); i += 2)
    {
        IM::Server::IMServerPCLoginStatusNotify login;
        IM::Buddy::IMUserStatNotify buddy;
        CPPUNIT_ASSERT_MESSAGE(who + " " + describeFrames({frames[i], frames[i + 1]}),
                               frames[i].commandId == kLoginStatusNotify && frames[i].parse(login) &&
                                   frames[i + 1].commandId == kBuddyStatusNotify && frames[i + 1].parse(buddy));
        const std::uint32_t user = login.user_id();
        CPPUNIT_ASSERT_EQUAL_MESSAGE(who + ": login_status for user " + std::to_string(user), std::uint32_t(1), login.login_status());
        CPPUNIT_ASSERT_EQUAL_MESSAGE(who + ": the buddy notification's user", user, buddy.user_stat().user_id());
        const auto expected = back.find(user);
        CPPUNIT_ASSERT_MESSAGE(who + ": user " + std::to_string(user) + " announced online again", expected != back.end());
        CPPUNIT_ASSERT_EQUAL_MESSAGE(who + ": status for user " + std::to_string(user), expected->second,
                                     static_cast<std::uint32_t>(buddy.user_stat().status()));
        CPPUNIT_ASSERT_MESSAGE(who + ": user " + std::to_string(user) + " announced twice", seen.insert(user).second);
    }
}

/// Writes `bytes`; false when the route server has closed the connection already.
bool trySend(FakeMsgServer& fake, const std::string& bytes)
{
    try
    {
        fake.send(bytes);
        return true;
    }
    catch (const Poco::Exception&)
    {
        return false;
    }
}

/// The next MSG_DATA on `fake`; other frames that come first are appended to `others`.
WireFrame nextMsgData(FakeMsgServer& fake, std::vector<WireFrame>& others)
{
    for (;;)
    {
        WireFrame frame = fake.receive(10s);
        if (frame.commandId == kMsgData)
            return frame;
        others.push_back(std::move(frame));
    }
}

std::size_t occurrences(const std::string& haystack, const std::string& needle)
{
    std::size_t count = 0;
    for (std::size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + needle.size()))
        ++count;
    return count;
}

/// What each open descriptor of this process (which runs the plugin too) refers to, with how
/// many descriptors refer to it: "socket:[inode]" for a socket (unique to that socket),
/// "anon_inode:[eventfd]" for an eventfd, a path for a file. Epoll instances are left out:
/// Poco's Socket::poll() opens one for each wait and closes it afterwards, and the listener's
/// acceptor thread waits in it 250 ms at a time, so whether a look catches its descriptor is
/// chance. The plugin itself opens none (its threads wait in poll(), woken by an eventfd), so
/// they say nothing about what a connection leaves behind.
std::map<std::string, int> openDescriptors()
{
    std::map<std::string, int> open;
    for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd"))
    {
        std::error_code error; // the iterator's own descriptor is gone by the time it is read
        const auto target = std::filesystem::read_symlink(entry.path(), error);
        if (!error && target != "anon_inode:[eventpoll]")
            ++open[target.string()];
    }
    return open;
}

/// The descriptors open now beyond those in `baseline` (a socket not open then, or more of
/// a kind than then), as "target xN"; empty when there are none.
std::string descriptorsBeyond(const std::map<std::string, int>& baseline)
{
    std::string beyond;
    for (const auto& [target, count] : openDescriptors())
    {
        const auto known = baseline.find(target);
        const int extra = count - (known == baseline.end() ? 0 : known->second);
        if (extra > 0)
            beyond += (beyond.empty() ? "" : ", ") + target + " x" + std::to_string(extra);
    }
    return beyond;
}

/// Waits until every descriptor open is one of `baseline`'s (the server closes its side of a
/// connection a moment after the client did; descriptors open at the baseline may close
/// meanwhile, which is no growth); returns those still beyond it after `timeout`, or empty.
std::string waitForNoDescriptorsBeyond(const std::map<std::string, int>& baseline, std::chrono::milliseconds timeout = 15s)
{
    const auto deadline = Clock::now() + timeout;
    for (std::string beyond = descriptorsBeyond(baseline);; beyond = descriptorsBeyond(baseline))
    {
        if (beyond.empty() || Clock::now() >= deadline)
            return beyond;
        std::this_thread::sleep_for(20ms);
    }
}

/// Waits until the route server has logged the end of `count` connections in all, each one's
/// thread having retired it; fails, showing the log, when it has not within `timeout`. A
/// connection that the test closed at once may still wait in the listen queue, not yet
/// accepted and so without a descriptor here: no descriptor left open does not tell that
/// every connection was served.
void waitForDisconnects(const ServedPlugin& served, std::size_t count, std::chrono::milliseconds timeout = 15s)
{
    const auto deadline = Clock::now() + timeout;
    for (std::string log = served.log();; log = served.log())
    {
        const std::size_t ended = occurrences(log, "disconnected (");
        if (ended >= count)
            return;
        if (Clock::now() >= deadline)
            CPPUNIT_FAIL(std::to_string(ended) + " of " + std::to_string(count) + " connections ended within " +
                         std::to_string(timeout.count()) + " ms; the log ends:\n" + log.substr(log.size() - std::min<std::size_t>(log.size(), 4000)));
        std::this_thread::sleep_for(20ms);
    }
}

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

class FaultTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(FaultTest);
    CPPUNIT_TEST(maxConnectionsRefusesTheExcessAndAdmitsAgainWhenOneLeaves);
    CPPUNIT_TEST(frameAboveMaxPduBytesClosesOnlyItsSender);
    CPPUNIT_TEST(statusQueryIsAnsweredForExactlyTheFirstMaxIds);
    CPPUNIT_TEST(oversizedOnlineUserInfoIsDroppedWholeAndTheConnectionStays);
    CPPUNIT_TEST(peerOverMaxOutboxBytesIsDroppedAlone);
    CPPUNIT_TEST(halfAHeaderThenGoneClosesOnlyThatConnection);
    CPPUNIT_TEST(tricklingIntoAHugeFrameIsClosedByTheIdleTimeout);
    CPPUNIT_TEST(rapidConnectCloseCyclesLeakNoDescriptorsOrMemory);
    CPPUNIT_TEST(nonReaderAmongSeveralFloodersIsDroppedAndTheOthersGetEverything);
    CPPUNIT_TEST(garbageBodiesAreDroppedAndTheConnectionStays);
    CPPUNIT_TEST(unknownServiceAndCommandIdsAreIgnored);
    CPPUNIT_TEST(peerClosingMidRelayLeavesNothingPartial);
    CPPUNIT_TEST(lostMsgServerIsRemovedExactlyAndHealsOnReconnect);
    CPPUNIT_TEST_SUITE_END();

public:
    void tearDown() override { served_.reset(); }

    // ---- Limits ------------------------------------------------------------------------

    void maxConnectionsRefusesTheExcessAndAdmitsAgainWhenOneLeaves()
    {
        start({{"max_connections", "3"}});
        auto a = connectAdmitted(port());
        auto b = connectAdmitted(port());
        auto c = connectAdmitted(port());
        // All three register (a msg server sends ONLINE_USER_INFO first): none may make room.
        a->send(tttest::onlineUserInfo({{1001, kOnline, kWindows}}));
        b->send(tttest::onlineUserInfo({}));
        c->send(tttest::onlineUserInfo({}));
        for (FakeMsgServer* fake : {a.get(), b.get(), c.get()})
            assertNothing(fake->sync(), "registered");

        // The fourth and fifth are closed as soon as they are accepted, and say why in the log.
        FakeMsgServer d(port());
        FakeMsgServer e(port());
        CPPUNIT_ASSERT_MESSAGE(served_->log(), d.waitClosed());
        CPPUNIT_ASSERT_MESSAGE(served_->log(), e.waitClosed());
        const std::string refusal = "refused, max_connections (3) are served already, every one of them a msg server";
        CPPUNIT_ASSERT_MESSAGE(served_->log(), !served_->waitForLine({d.logName(), refusal}).empty());
        CPPUNIT_ASSERT_MESSAGE(served_->log(), !served_->waitForLine({e.logName(), refusal}).empty());

        // The admitted ones noticed nothing and keep working.
        for (FakeMsgServer* fake : {a.get(), b.get(), c.get()})
            assertNothing(fake->sync(), "admitted connection");
        assertSurvivorsWork({a.get(), b.get(), c.get()}, 1);
        CPPUNIT_ASSERT_EQUAL(statuses({kOnline}), statuses(queryStatuses(*b, {1001})));

        // One leaves: once the server has let it go, a new one is admitted and served.
        const std::string cName = c->logName();
        c->close();
        CPPUNIT_ASSERT_MESSAGE(served_->log(), !served_->waitForLine({cName, "disconnected ("}).empty());
        auto f = connectAdmitted(port());
        CPPUNIT_ASSERT(served_->waitForLine({f->logName(), "refused"}, 0ms).empty());
        f->send(tttest::statusUpdate(1002, kOnline, kWindows));
        for (FakeMsgServer* fake : {f.get(), a.get(), b.get()})
            assertStatusNotifications(fake->sync(), 1002, 1, kOnline, "after the new one logged a user in", NotificationHeader::IdsOnly);
        assertSurvivorsWork({a.get(), b.get(), f.get()}, 2);
        CPPUNIT_ASSERT_EQUAL(statuses({kOnline, kOnline}), statuses(queryStatuses(*f, {1001, 1002})));

        // Full again: the next one is refused as well.
        FakeMsgServer g(port());
        CPPUNIT_ASSERT_MESSAGE(served_->log(), g.waitClosed());
        CPPUNIT_ASSERT_MESSAGE(served_->log(), !served_->waitForLine({g.logName(), refusal}).empty());
        CPPUNIT_ASSERT_EQUAL_MESSAGE(served_->log(), std::size_t(3), occurrences(served_->log(), refusal));
        for (FakeMsgServer* fake : {a.get(), b.get(), f.get()})
            assertNothing(fake->sync(), "admitted connection after the third refusal");
    }

    void frameAboveMaxPduBytesClosesOnlyItsSender()
    {
        start({{"max_pdu_bytes", "16K"}});
        auto a = connectAdmitted(port());
        auto b = connectAdmitted(port());
        auto victim = connectAdmitted(port());
        auto c = connectAdmitted(port());
        victim->send(tttest::onlineUserInfo({{2001, kOnline, kWindows}}));
        assertNothing(victim->sync(), "victim");

        // Exactly the limit passes, from the victim too.
        const std::string exact = tttest::makeRawFrame(3, kMsgData, 1, patternedBytes(16 * 1024 - 16, 1));
        victim->send(exact);
        assertNothing(victim->sync(), "victim");
        for (FakeMsgServer* fake : {a.get(), b.get(), c.get()})
            assertFrames({exact}, fake->sync(), "after a frame of exactly max_pdu_bytes");

        // The victim's good frame, then a header one byte over the limit; the others keep
        // sending meanwhile.
        const std::string fromVictim = tttest::msgData(2001, 2002, 1, "last words");
        const std::string fromA1 = tttest::msgData(2003, 2004, 1, patternedBytes(16 * 1024 - 100, 2));
        const std::string fromA2 = tttest::msgData(2003, 2004, 2, "while the victim goes");
        const std::string fromB = tttest::makeRawFrame(3, kMsgData, 3, patternedBytes(16 * 1024 - 16, 3));
        a->send(fromA1);
        victim->send(fromVictim + tttest::makeRawFrame(3, kMsgData, 0x0909, patternedBytes(100, 4), 16 * 1024 + 1));
        a->send(fromA2);
        b->send(fromB);
        CPPUNIT_ASSERT_MESSAGE(served_->log(), victim->waitClosed());
        CPPUNIT_ASSERT_MESSAGE(served_->log(),
                               !served_->waitForLine({"frame length 16385 exceeds max_pdu_bytes 16384", "seq 2313"}).empty());
        CPPUNIT_ASSERT_MESSAGE(served_->log(), !served_->waitForLine({victim->logName(), "disconnected (bad_frame)"}).empty());

        // Each survivor got everything the others sent, the victim's frame before its bad
        // header, and the victim's user announced offline once; nothing else, nothing partial.
        IM::Buddy::IMUserStatNotify offline;
        offline.mutable_user_stat()->set_user_id(2001);
        offline.mutable_user_stat()->set_status(IM::BaseDefine::USER_STATUS_OFFLINE);
        const std::string offline2001 = tttest::makeFrame(2, kBuddyStatusNotify, 0, offline);
        // (a's and b's first sync tells that their own frames went out; the second collects
        // what the other one sent meanwhile.)
        auto atA = a->sync();
        auto atB = b->sync();
        for (auto& frame : a->sync())
            atA.push_back(std::move(frame));
        for (auto& frame : b->sync())
            atB.push_back(std::move(frame));
        assertFramesAnyOrder({fromVictim, fromB, offline2001}, atA, "a");
        assertFramesAnyOrder({fromVictim, fromA1, fromA2, offline2001}, atB, "b");
        assertFramesAnyOrder({fromVictim, fromA1, fromA2, fromB, offline2001}, c->sync(), "c");
        assertSurvivorsWork({a.get(), b.get(), c.get()}, 3);
        CPPUNIT_ASSERT_EQUAL(statuses({kOffline}), statuses(queryStatuses(*c, {2001})));
    }

    void statusQueryIsAnsweredForExactlyTheFirstMaxIds()
    {
        start({{"max_status_query_ids", "5"}});
        auto a = connectAdmitted(port());
        auto b = connectAdmitted(port());
        auto c = connectAdmitted(port());
        a->send(tttest::onlineUserInfo({{3001, kOnline, kWindows}, {3003, kOnline, kMac}, {3005, kOnline, kWindows}, {3006, kOnline, kIos}}));
        assertNothing(a->sync(), "a");

        // b asks for 12 ids and gets exactly the first 5, in order, attach data and requester kept.
        std::vector<std::uint32_t> twelve;
        for (std::uint32_t id = 3000; id < 3012; ++id)
            twelve.push_back(id);
        const std::string attach("\x00\x01 keep me \xff", 12);
        b->send(tttest::statusRequest(0x1234, 77, twelve, &attach));
        // c's query of exactly 5, sent meanwhile, is answered in full.
        c->send(tttest::statusRequest(0x4321, 78, {3006, 3005, 3004, 3003, 3001}));
        const WireFrame answer = b->receive();
        CPPUNIT_ASSERT_EQUAL_MESSAGE(describeFrames({answer}), kUsersStatusResponse, answer.commandId);
        CPPUNIT_ASSERT_EQUAL(std::uint16_t(0x1234), answer.seqNum);
        IM::Buddy::IMUsersStatRsp response;
        CPPUNIT_ASSERT(answer.parse(response));
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(77), response.user_id());
        CPPUNIT_ASSERT(response.has_attach_data() && response.attach_data() == attach);
        CPPUNIT_ASSERT_EQUAL(5, response.user_stat_list_size());
        const std::uint32_t expected[5][2] = {{3000, kOffline}, {3001, kOnline}, {3002, kOffline}, {3003, kOnline}, {3004, kOffline}};
        for (int i = 0; i < 5; ++i)
        {
            CPPUNIT_ASSERT_EQUAL(expected[i][0], response.user_stat_list(i).user_id());
            CPPUNIT_ASSERT_EQUAL(expected[i][1], static_cast<std::uint32_t>(response.user_stat_list(i).status()));
        }
        const WireFrame full = c->receive();
        IM::Buddy::IMUsersStatRsp fullResponse;
        CPPUNIT_ASSERT(full.parse(fullResponse));
        CPPUNIT_ASSERT_EQUAL(std::uint16_t(0x4321), full.seqNum);
        CPPUNIT_ASSERT_EQUAL(5, fullResponse.user_stat_list_size());
        CPPUNIT_ASSERT_MESSAGE(served_->log(),
                               !served_->waitForLine({b->logName(), "seq 4660 asks for 12 ids; answering the first 5 (max_status_query_ids)"})
                                    .empty());

        // Exactly the cap, one over it, duplicates over it, and a huge one: 5 answers each.
        CPPUNIT_ASSERT_EQUAL(statuses({kOffline, kOnline, kOffline, kOnline, kOffline}),
                             statuses(queryStatuses(*b, {3000, 3001, 3002, 3003, 3004}, 1)));
        b->send(tttest::statusRequest(2, 79, {3005, 3005, 3005, 3005, 3005, 3005, 3005}));
        IM::Buddy::IMUsersStatRsp duplicates;
        CPPUNIT_ASSERT(b->receive().parse(duplicates));
        CPPUNIT_ASSERT_EQUAL(5, duplicates.user_stat_list_size());
        std::vector<std::uint32_t> huge(200000, 3001);
        huge[4] = 3002;
        b->send(tttest::statusRequest(3, 80, huge));
        IM::Buddy::IMUsersStatRsp hugeResponse;
        CPPUNIT_ASSERT(b->receive().parse(hugeResponse));
        CPPUNIT_ASSERT_EQUAL(5, hugeResponse.user_stat_list_size());
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(3002), hugeResponse.user_stat_list(4).user_id());

        // b's connection stays; everyone keeps relaying and updating presence.
        b->send(tttest::statusUpdate(3002, kOnline, kWindows));
        for (FakeMsgServer* fake : {b.get(), a.get(), c.get()})
            assertStatusNotifications(fake->sync(), 3002, 1, kOnline, "after b's update", NotificationHeader::IdsOnly);
        assertSurvivorsWork({a.get(), b.get(), c.get()}, 4);
    }

    void oversizedOnlineUserInfoIsDroppedWholeAndTheConnectionStays()
    {
        start({{"max_online_user_info_entries", "4"}});
        auto a = connectAdmitted(port());
        auto b = connectAdmitted(port());
        auto c = connectAdmitted(port());
        const std::vector<std::uint32_t> ids{4001, 4002, 4003, 4004, 4005, 4006, 4007, 4008};

        // Five entries: dropped whole and logged; the frames after it on the line still apply.
        a->send(tttest::onlineUserInfo(
                    {{4001, kOnline, kWindows}, {4002, kOnline, kWindows}, {4003, kOnline, kMac}, {4004, kOnline, kWindows}, {4005, kOnline, kWindows}}) +
                tttest::statusUpdate(4006, kOnline, kWindows));
        for (FakeMsgServer* fake : {a.get(), b.get(), c.get()})
            assertStatusNotifications(fake->sync(), 4006, 1, kOnline, "after the oversized ONLINE_USER_INFO", NotificationHeader::IdsOnly);
        const std::string line = served_->waitForLine({a->logName(), "dropped ONLINE_USER_INFO"});
        CPPUNIT_ASSERT_MESSAGE(served_->log(), line.find("of 5 entries, over max_online_user_info_entries 4") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(statuses({kOffline, kOffline, kOffline, kOffline, kOffline, kOnline, kOffline, kOffline}),
                             statuses(queryStatuses(*b, ids)));

        // Five entries of one user count as five.
        a->send(tttest::onlineUserInfo({{4007, kOnline, kWindows}, {4007, kOnline, kWindows}, {4007, kOnline, kMac},
                                        {4007, kOnline, kAndroid}, {4007, kOnline, kWindows}}));
        assertNothing(a->sync(), "a");
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), occurrences(served_->log(), "over max_online_user_info_entries 4"));
        CPPUNIT_ASSERT_EQUAL(statuses({kOffline}), statuses(queryStatuses(*c, {4007})));

        // Exactly four, then three, from the same connection: applied, without notifications.
        a->send(tttest::onlineUserInfo({{4001, kOnline, kWindows}, {4002, kLeave, kWindows}, {4003, kOnline, kMac}, {4004, kOnline, kAndroid}}));
        a->send(tttest::onlineUserInfo({{4005, kOnline, kWindows}, {4007, kOnline, kIos}, {4008, kOnline, kMac}}));
        for (FakeMsgServer* fake : {a.get(), b.get(), c.get()})
            assertNothing(fake->sync(), "after ONLINE_USER_INFO within the limit");
        CPPUNIT_ASSERT_EQUAL(statuses({kOnline, kOnline, kOnline, kOffline, kOnline, kOnline, kOffline, kOnline}),
                             statuses(queryStatuses(*b, ids)));

        // Another connection's oversized list is dropped too, and another's within the limit applies.
        b->send(tttest::onlineUserInfo({{4101, kOnline, kWindows}, {4102, kOnline, kWindows}, {4103, kOnline, kWindows},
                                        {4104, kOnline, kWindows}, {4105, kOnline, kWindows}, {4106, kOnline, kWindows}}));
        c->send(tttest::onlineUserInfo({{4201, kOnline, kWindows}, {4202, kOnline, kWindows}}));
        assertNothing(b->sync(), "b");
        assertNothing(c->sync(), "c");
        assertNothing(a->sync(), "a");
        CPPUNIT_ASSERT_MESSAGE(served_->log(), !served_->waitForLine({b->logName(), "of 6 entries, over max_online_user_info_entries 4"}).empty());
        CPPUNIT_ASSERT_EQUAL(statuses({kOffline, kOffline, kOnline, kOnline}), statuses(queryStatuses(*a, {4101, 4106, 4201, 4202})));
        // The earlier presence is untouched, and the connections keep working.
        CPPUNIT_ASSERT_EQUAL(statuses({kOnline, kOnline, kOnline, kOffline, kOnline, kOnline, kOffline, kOnline}),
                             statuses(queryStatuses(*c, ids)));
        assertSurvivorsWork({a.get(), b.get(), c.get()}, 5);
    }

    void peerOverMaxOutboxBytesIsDroppedAlone()
    {
        start({{"max_pdu_bytes", "64K"}, {"max_outbox_bytes", "1100K"}});
        auto sender = connectAdmitted(port());
        auto slow = connectAdmitted(port());
        auto reader1 = connectAdmitted(port());
        auto reader2 = connectAdmitted(port());
        slow->send(tttest::onlineUserInfo({{5001, kOnline, kWindows}}));
        assertNothing(slow->sync(), "slow");
        // From here on slow never reads.
        std::vector<std::string> sent;
        std::vector<WireFrame> others1;
        std::vector<WireFrame> others2;
        bool dropped = false;
        int after = 0;
        for (std::uint32_t i = 0; i < 5000 && after < 20; ++i)
        {
            sent.push_back(tttest::msgData(5002, 5003, i, patternedBytes(60 * 1024, i)));
            sender->send(sent.back());
            assertSameBytes(sent.back(), nextMsgData(*reader1, others1).bytes, "reader1 frame " + std::to_string(i));
            assertSameBytes(sent.back(), nextMsgData(*reader2, others2).bytes, "reader2 frame " + std::to_string(i));
            dropped = dropped || served_->log().find("queue_overflow") != std::string::npos;
            after += dropped ? 1 : 0;
        }
        CPPUNIT_ASSERT_MESSAGE(served_->log(), dropped);
        CPPUNIT_ASSERT(slow->waitClosed(10s));
        const std::string line = served_->waitForLine({slow->logName(), "disconnected (queue_overflow)"});
        CPPUNIT_ASSERT_MESSAGE(served_->log(), line.find("over max_outbox_bytes 1126400: it stopped reading") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(served_->log(), std::size_t(1), occurrences(served_->log(), "disconnected ("));

        // The readers got every frame (checked above) and slow's user announced offline once.
        const auto rest1 = reader1->sync();
        const auto rest2 = reader2->sync();
        others1.insert(others1.end(), rest1.begin(), rest1.end());
        others2.insert(others2.end(), rest2.begin(), rest2.end());
        assertOfflineAnnouncements(others1, {5001}, {}, "reader1");
        assertOfflineAnnouncements(others2, {5001}, {}, "reader2");
        assertOfflineAnnouncements(sender->sync(), {5001}, {}, "sender");
        assertSurvivorsWork({sender.get(), reader1.get(), reader2.get()}, 6);
    }

    // ---- Faults over loopback ------------------------------------------------------------

    void halfAHeaderThenGoneClosesOnlyThatConnection()
    {
        constexpr auto kIdleTimeout = 1500ms;
        tttest::runWhileKeepersKeepTime(
            kIdleTimeout, 2,
            [&](std::vector<Lifeline>& keeperLives) {
                served_.reset();
                start({{"idle_timeout", std::to_string(kIdleTimeout.count()) + "ms"}, {"heartbeat_interval", "200ms"}});
                halfAHeaderThenGone(keeperLives[0], keeperLives[1]);
            },
            [&] { return served_->log(); });
    }

    void tricklingIntoAHugeFrameIsClosedByTheIdleTimeout()
    {
        constexpr auto kIdleTimeout = 2000ms;
        tttest::runWhileKeepersKeepTime(
            kIdleTimeout, 2,
            [&](std::vector<Lifeline>& keeperLives) {
                served_.reset();
                start({{"max_pdu_bytes", "4M"}, {"idle_timeout", std::to_string(kIdleTimeout.count()) + "ms"}, {"heartbeat_interval", "200ms"}});
                tricklingIntoAHugeFrame(keeperLives[0], keeperLives[1]);
            },
            [&] { return served_->log(); });
    }

    void rapidConnectCloseCyclesLeakNoDescriptorsOrMemory()
    {
        start();
        auto keeper = connectAdmitted(port());
        std::set<std::uint32_t> usersLost;
        std::uint32_t nextUser = 800000;
        // Four kinds of short life: gone at once; admitted with a user, then gone; half a
        // header, then gone; a header promising 1 MiB and some of it, then gone.
        auto cycles = [&](int count) {
            for (int i = 0; i < count; ++i)
            {
                FakeMsgServer fake(port());
                switch (i % 4)
                {
                    case 0:
                        break;
                    case 1:
                        fake.send(tttest::onlineUserInfo({{nextUser, kOnline, kWindows}}));
                        fake.sync(); // admitted; may hear earlier ones' users go offline
                        usersLost.insert(nextUser++);
                        break;
                    case 2:
                        fake.send(tttest::makeRawFrame(3, kMsgData, 0, "", 64).substr(0, 7));
                        break;
                    case 3:
                        fake.send(tttest::makeRawFrame(3, kMsgData, 0, "", 1024 * 1024) + patternedBytes(1000, i));
                        break;
                }
                fake.close();
            }
        };

        // A warm-up as long as the run lets allocator (AddressSanitizer's too) and the captured
        // log reach their working size. Descriptors are compared by what they are, not counted:
        // one an earlier test left closing may go away meanwhile.
        const auto idleFds = openDescriptors();
        // The pool makes a connection thread whenever more connections overlap than it has
        // threads, which depends on how the threads are scheduled, and a thread made during
        // the measured cycles would look like growth (2 MiB of resident memory or more under
        // ThreadSanitizer). So first as many connections as the server serves at once are
        // served at the same time: the pool is at its ceiling, and stays there while it runs.
        const std::size_t atOnceCount = ServedPlugin::kMaxConnectionThreads - 1; // the keeper has a thread too
        {
            std::vector<std::unique_ptr<FakeMsgServer>> atOnce;
            while (atOnce.size() < atOnceCount)
                atOnce.push_back(connectAdmitted(port()));
        }
        cycles(1000);
        waitForDisconnects(*served_, atOnceCount + 1000);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("descriptors opened by the warm-up and still open", std::string(), waitForNoDescriptorsBeyond(idleFds));
        const auto fdsBefore = openDescriptors();
        settleAllocator();
        const std::size_t rssBefore = rssKiB();
        const std::size_t threadsBefore = threadCount();
        const std::size_t heapBefore = liveHeapBytes();
        const std::size_t logBefore = served_->log().size();

        cycles(1000);
        waitForDisconnects(*served_, atOnceCount + 2000);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("descriptors opened by 1,000 connections and still open", std::string(), waitForNoDescriptorsBeyond(fdsBefore));
        settleAllocator();
        const std::size_t rssAfter = rssKiB();
        const std::size_t heapAfter = liveHeapBytes();
        // Release builds grow by the log's few hundred KiB; the sanitizers' bookkeeping adds a couple of MiB.
        const std::size_t toleranceKiB = 8 * 1024;
        CPPUNIT_ASSERT_MESSAGE("VmRSS grew from " + std::to_string(rssBefore) + " KiB to " + std::to_string(rssAfter) + " KiB, threads from " +
                                   std::to_string(threadsBefore) + " to " + std::to_string(threadCount()),
                               rssAfter <= rssBefore + toleranceKiB);
        // The captured log grows by a few lines a connection (its string may double once).
        const std::size_t logGrowth = served_->log().size() - logBefore;
        CPPUNIT_ASSERT_MESSAGE("the heap grew from " + std::to_string(heapBefore) + " to " + std::to_string(heapAfter) +
                                   " bytes, the log by " + std::to_string(logGrowth),
                               heapAfter <= heapBefore + 2 * logGrowth + 1024 * 1024);

        // Every connection was retired; each user went offline exactly once; the keeper is fine.
        const auto got = keeper->sync();
        assertOfflineAnnouncements(got, usersLost, {}, "keeper");
        CPPUNIT_ASSERT_EQUAL(statuses({kOffline, kOffline}), statuses(queryStatuses(*keeper, {800000, nextUser - 1})));
        auto other = connectAdmitted(port());
        assertSurvivorsWork({keeper.get(), other.get()}, 9);
    }

    void nonReaderAmongSeveralFloodersIsDroppedAndTheOthersGetEverything()
    {
        start({{"max_pdu_bytes", "64K"}, {"max_outbox_bytes", "1100K"}});
        auto flooder1 = connectAdmitted(port());
        auto flooder2 = connectAdmitted(port());
        auto reader = connectAdmitted(port());
        auto nonReader = connectAdmitted(port());
        nonReader->send(tttest::onlineUserInfo({{10001, kOnline, kWindows}, {10002, kOnline, kAndroid}}));
        reader->send(tttest::onlineUserInfo({{10002, kOnline, kMac}}));
        assertNothing(nonReader->sync(), "non-reader");
        assertNothing(reader->sync(), "reader");

        // Two flood in turn; each reads the other's frames, the reader reads both.
        std::vector<WireFrame> othersAt[3];
        std::vector<std::string> sent[2];
        FakeMsgServer* flooders[2] = {flooder1.get(), flooder2.get()};
        bool dropped = false;
        int after = 0;
        for (std::uint32_t i = 0; i < 5000 && after < 20; ++i)
        {
            for (int f = 0; f < 2; ++f)
            {
                sent[f].push_back(tttest::msgData(10010 + f, 10020, i, patternedBytes(30 * 1024 + f * 1000, i * 2 + f)));
                flooders[f]->send(sent[f].back());
                assertSameBytes(sent[f].back(), nextMsgData(*reader, othersAt[2]).bytes, "reader");
                assertSameBytes(sent[f].back(), nextMsgData(*flooders[1 - f], othersAt[1 - f]).bytes, "the other flooder");
            }
            dropped = dropped || served_->log().find("queue_overflow") != std::string::npos;
            after += dropped ? 1 : 0;
        }
        CPPUNIT_ASSERT_MESSAGE(served_->log(), dropped);
        CPPUNIT_ASSERT(nonReader->waitClosed(10s));
        CPPUNIT_ASSERT_MESSAGE(served_->log(), !served_->waitForLine({nonReader->logName(), "disconnected (queue_overflow)"}).empty());
        CPPUNIT_ASSERT_EQUAL_MESSAGE(served_->log(), std::size_t(1), occurrences(served_->log(), "disconnected ("));

        // Besides every flood frame, each survivor heard exactly the non-reader's loss: 10001
        // offline, 10002 (its PC is on the reader's server) untouched.
        FakeMsgServer* survivors[3] = {flooder1.get(), flooder2.get(), reader.get()};
        for (int s = 0; s < 3; ++s)
        {
            const auto rest = survivors[s]->sync();
            othersAt[s].insert(othersAt[s].end(), rest.begin(), rest.end());
            assertOfflineAnnouncements(othersAt[s], {10001}, {}, "survivor " + std::to_string(s));
        }
        CPPUNIT_ASSERT_EQUAL(statuses({kOffline, kOnline}), statuses(queryStatuses(*reader, {10001, 10002})));
        assertSurvivorsWork({flooder1.get(), flooder2.get(), reader.get()}, 10);
    }

    void garbageBodiesAreDroppedAndTheConnectionStays()
    {
        start();
        auto a = connectAdmitted(port());
        auto b = connectAdmitted(port());
        auto c = connectAdmitted(port());
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
        CPPUNIT_ASSERT_MESSAGE(served_->log(), !served_->waitForLine({a->logName(), "is not a valid message"}).empty());
        CPPUNIT_ASSERT_MESSAGE(served_->log(), served_->log().find("calls itself") == std::string::npos);
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
        CPPUNIT_ASSERT_MESSAGE(served_->log(), !served_->waitForLine({a->logName(), "calls itself master"}).empty());
        CPPUNIT_ASSERT_EQUAL(statuses({kOnline, kOnline, kOnline}), statuses(queryStatuses(*a, {11001, 11002, 11003})));
        assertSurvivorsWork({a.get(), b.get(), c.get()}, 11);
    }

    void unknownServiceAndCommandIdsAreIgnored()
    {
        start();
        auto a = connectAdmitted(port());
        auto b = connectAdmitted(port());
        auto c = connectAdmitted(port());
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
        CPPUNIT_ASSERT_MESSAGE(served_->log(), !served_->waitForLine({a->logName(), "ignored frame with service 0x0007, command 0x0799"}).empty());
        CPPUNIT_ASSERT_MESSAGE(served_->log(), served_->log().find("disconnected") == std::string::npos);

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

    void peerClosingMidRelayLeavesNothingPartial()
    {
        start();
        auto a = connectAdmitted(port());
        auto b = connectAdmitted(port());
        auto c = connectAdmitted(port());
        auto quitter = connectAdmitted(port());
        quitter->send(tttest::statusUpdate(13001, kOnline, kWindows));
        for (FakeMsgServer* fake : {quitter.get(), a.get(), b.get(), c.get()})
            assertStatusNotifications(fake->sync(), 13001, 1, kOnline, "after the quitter's login", NotificationHeader::IdsOnly);

        // Half of a 2 MiB MSG_DATA, while another peer's traffic flows past it.
        const std::string big = tttest::msgData(13001, 13002, 1, patternedBytes(2 * 1024 * 1024, 5));
        quitter->send(big.substr(0, big.size() / 2));
        const std::string meanwhile = tttest::msgData(13003, 13004, 1, "meanwhile");
        a->send(meanwhile);
        assertNothing(a->sync(), "a");
        assertFrames({meanwhile}, b->sync(), "b");
        assertFrames({meanwhile}, c->sync(), "c");
        // The quitter reads it (it cannot send a query in the middle of its frame), so it closes cleanly.
        assertSameBytes(meanwhile, quitter->receive().bytes, "quitter");

        const std::string quitterName = quitter->logName();
        quitter->close();
        CPPUNIT_ASSERT_MESSAGE(served_->log(), !served_->waitForLine({quitterName, "disconnected ("}).empty());
        // No byte of the half frame reached anyone: their streams hold whole frames only.
        for (FakeMsgServer* fake : {a.get(), b.get(), c.get()})
            assertOfflineAnnouncements(fake->sync(), {13001}, {}, "survivor");

        // The survivors keep relaying, large frames included.
        const std::string whole = tttest::msgData(13003, 13004, 2, patternedBytes(2 * 1024 * 1024, 6));
        b->send(whole);
        assertNothing(b->sync(), "b");
        assertFrames({whole}, a->sync(), "a");
        assertFrames({whole}, c->sync(), "c");
        assertSurvivorsWork({a.get(), b.get(), c.get()}, 13);
    }

    // ---- Peer loss is exact -------------------------------------------------------------

    void lostMsgServerIsRemovedExactlyAndHealsOnReconnect()
    {
        start({{"max_status_query_ids", "100000"}});
        auto a = connectAdmitted(port());
        auto b = connectAdmitted(port());
        auto c = connectAdmitted(port());
        auto d = connectAdmitted(port());

        std::vector<std::vector<std::uint32_t>> atA; // a's logins, as its ONLINE_USER_INFO lists them
        std::vector<std::vector<std::uint32_t>> atB;
        std::vector<std::vector<std::uint32_t>> atC;
        std::vector<std::uint32_t> all;
        std::set<std::uint32_t> goOffline;  // announced offline when a goes
        std::set<std::uint32_t> stillKnown; // ... with LOGIN_STATUS_NOTIFY 0 first: a mobile login is left elsewhere
        std::vector<std::uint32_t> expectedAfter;
        auto group = [&](std::uint32_t first, std::uint32_t count, auto&& add, bool offline, bool known, std::uint32_t after) {
            for (std::uint32_t id = first; id < first + count; ++id)
            {
                add(id);
                all.push_back(id);
                expectedAfter.push_back(after);
                if (offline)
                    goOffline.insert(id);
                if (known)
                    stillKnown.insert(id);
            }
        };
        // PC on a only; more than the 4096 users the server removes in one slice.
        group(100000, 5000, [&](std::uint32_t id) { atA.push_back({id, kOnline, kWindows}); }, true, false, kOffline);
        // PC and mobile, both on a: forgotten, so BUDDY OFFLINE only.
        group(200000, 50, [&](std::uint32_t id) { atA.push_back({id, kOnline, kMac}); atA.push_back({id, kOnline, kIos}); }, true, false, kOffline);
        // PC on a and PC on b: stays ONLINE, nothing said.
        group(300000, 50, [&](std::uint32_t id) { atA.push_back({id, kOnline, kWindows}); atB.push_back({id, kOnline, kMac}); }, false, false, kOnline);
        // Mobile on a only: never ONLINE, nothing said.
        group(400000, 50, [&](std::uint32_t id) { atA.push_back({id, kOnline, kAndroid}); }, false, false, kOffline);
        // PC on a, mobile on b: LOGIN 0 and BUDDY OFFLINE.
        group(500000, 50, [&](std::uint32_t id) { atA.push_back({id, kOnline, kWindows}); atB.push_back({id, kOnline, kAndroid}); }, true, true, kOffline);
        // Mobile on a, PC on c: stays ONLINE, nothing said.
        group(600000, 50, [&](std::uint32_t id) { atA.push_back({id, kOnline, kIos}); atC.push_back({id, kOnline, kWindows}); }, false, false, kOnline);
        // LEAVE on a PC of a: announced OFFLINE.
        group(700000, 20, [&](std::uint32_t id) { atA.push_back({id, kLeave, kWindows}); }, true, false, kOffline);
        // Two Windows logins on a: one announcement.
        group(710000, 20, [&](std::uint32_t id) { atA.push_back({id, kOnline, kWindows}); atA.push_back({id, kOnline, kWindows}); }, true, false, kOffline);
        // PC on a, mobile on both b and c: LOGIN 0 and BUDDY OFFLINE, once.
        group(720000, 20, [&](std::uint32_t id) { atA.push_back({id, kOnline, kMac}); atB.push_back({id, kOnline, kIos}); atC.push_back({id, kOnline, kAndroid}); },
              true, true, kOffline);
        // PC on a, PC on c, mobile on b: stays ONLINE.
        group(730000, 20, [&](std::uint32_t id) { atA.push_back({id, kOnline, kWindows}); atC.push_back({id, kOnline, kWindows}); atB.push_back({id, kOnline, kIos}); },
              false, false, kOnline);
        // Logged in on a by USER_STATUS_UPDATE, and one who logged in and out again there.
        const std::uint32_t byUpdate = 740000;
        const std::uint32_t cameAndWent = 740001;
        all.push_back(byUpdate);
        expectedAfter.push_back(kOffline);
        goOffline.insert(byUpdate);
        all.push_back(cameAndWent);
        expectedAfter.push_back(kOffline);

        a->send(tttest::onlineUserInfo(atA));
        b->send(tttest::onlineUserInfo(atB));
        c->send(tttest::onlineUserInfo(atC));
        for (FakeMsgServer* fake : {a.get(), b.get(), c.get(), d.get()})
            assertNothing(fake->sync(), "after ONLINE_USER_INFO");
        a->send(tttest::statusUpdate(byUpdate, kOnline, kWindows));
        for (FakeMsgServer* fake : {a.get(), b.get(), c.get(), d.get()})
            assertStatusNotifications(fake->sync(), byUpdate, 1, kOnline, "after a login", NotificationHeader::IdsOnly);
        a->send(tttest::statusUpdate(cameAndWent, kOnline, kWindows));
        a->send(tttest::statusUpdate(cameAndWent, kOffline, kWindows));
        for (FakeMsgServer* fake : {a.get(), b.get(), c.get(), d.get()})
        {
            const auto got = fake->sync();
            CPPUNIT_ASSERT_EQUAL_MESSAGE(describeFrames(got), std::size_t(3), got.size());
            assertStatusNotifications({got[0], got[1]}, cameAndWent, 1, kOnline, "after a login", NotificationHeader::IdsOnly);
            assertStatusNotifications({got[2]}, cameAndWent, -1, kOffline, "after a logout", NotificationHeader::IdsOnly);
        }
        const auto before = queryStatuses(*d, all, 1);

        // a drops: each remaining peer hears exactly the announcements, once per user.
        const std::string aName = a->logName();
        a->close();
        const std::string loss = ": " + std::to_string(goOffline.size()) + " users went offline with it";
        CPPUNIT_ASSERT_MESSAGE(served_->log(), !served_->waitForLine({aName, loss}).empty());
        const std::string announced = ": " + std::to_string(goOffline.size()) + " users announced offline (" +
                                      std::to_string(goOffline.size() + stillKnown.size()) + " notifications), 0 came back";
        CPPUNIT_ASSERT_MESSAGE(served_->log(), !served_->waitForLine({aName, announced}).empty());
        assertOfflineAnnouncements(b->sync(), goOffline, stillKnown, "b");
        assertOfflineAnnouncements(c->sync(), goOffline, stillKnown, "c");
        assertOfflineAnnouncements(d->sync(), goOffline, stillKnown, "d");
        const auto afterDrop = queryStatuses(*b, all, 2);
        CPPUNIT_ASSERT_MESSAGE("presence after the drop", expectedAfter == afterDrop);

        // a comes back and re-sends its list: presence is exactly as before, and the users
        // announced offline are announced online again, each once, with the status listed.
        auto a2 = connectAdmitted(port());
        atA.push_back({byUpdate, kOnline, kWindows});
        a2->send(tttest::onlineUserInfo(atA));
        std::map<std::uint32_t, std::uint32_t> backOnline;
        for (const auto& entry : atA)
            if (goOffline.count(entry[0]) == 1 && (entry[2] & 0x10) == 0)
                backOnline.emplace(entry[0], entry[1]); // the first PC login listed brings the user back
        for (FakeMsgServer* fake : {a2.get(), b.get(), c.get(), d.get()})
            assertOnlineAgainAnnouncements(fake->sync(), backOnline, "after the reconnect");
        const auto healed = queryStatuses(*c, all, 3);
        CPPUNIT_ASSERT_MESSAGE("presence before the drop and after the reconnect differ", before == healed);

        // Counts were restored too: of the two Windows logins on a, the first logout says nothing.
        a2->send(tttest::statusUpdate(710000, kOffline, kWindows));
        for (FakeMsgServer* fake : {a2.get(), b.get(), c.get(), d.get()})
            assertNothing(fake->sync(), "after one of two logouts");
        a2->send(tttest::statusUpdate(710000, kOffline, kWindows));
        for (FakeMsgServer* fake : {a2.get(), b.get(), c.get(), d.get()})
            assertStatusNotifications(fake->sync(), 710000, -1, kOffline, "after the last logout", NotificationHeader::IdsOnly);
        assertSurvivorsWork({a2.get(), b.get(), c.get(), d.get()}, 14);
    }

private:
    /// One run of halfAHeaderThenGoneClosesOnlyThatConnection(), the keepers' sends noted in `life1` and `life2`.
    void halfAHeaderThenGone(Lifeline& life1, Lifeline& life2)
    {
        auto keeper1 = life1.around([&] { return connectAdmitted(port()); });
        auto keeper2 = life2.around([&] { return connectAdmitted(port()); });
        const std::string half = tttest::makeRawFrame(3, kMsgData, 1, "", 1024).substr(0, 8);

        // Half a header, then the socket closes.
        auto closer = connectAdmitted(port());
        closer->send(tttest::onlineUserInfo({{6001, kOnline, kWindows}}));
        assertNothing(closer->sync(), "closer");
        const std::string closerName = closer->logName();
        closer->send(half);
        closer->close();
        CPPUNIT_ASSERT_MESSAGE(served_->log(), !served_->waitForLine({closerName, "disconnected ("}).empty());
        assertOfflineAnnouncements(life1.around([&] { return keeper1->sync(); }), {6001}, {}, "keeper1");
        assertOfflineAnnouncements(life2.around([&] { return keeper2->sync(); }), {6001}, {}, "keeper2");

        // Half a header, then silence with the socket open (a host that vanished): the idle
        // timeout ends it while the keepers, who send life, stay.
        auto silent = connectAdmitted(port());
        silent->send(tttest::onlineUserInfo({{6002, kOnline, kMac}}));
        assertNothing(silent->sync(), "silent");
        silent->send(half);
        bool closed = false;
        const auto deadline = Clock::now() + 15s;
        while (!closed && Clock::now() < deadline)
        {
            life1.around([&] { keeper1->send(tttest::heartbeat()); });
            life2.around([&] { keeper2->send(tttest::heartbeat()); });
            closed = silent->waitClosed(100ms);
        }
        CPPUNIT_ASSERT_MESSAGE(served_->log(), closed);
        const std::string line = served_->waitForLine({silent->logName(), "disconnected (idle_timeout)"});
        CPPUNIT_ASSERT_MESSAGE(served_->log(), line.find("no whole PDU received for 1500 ms") != std::string::npos);
        assertOfflineAnnouncements(life1.around([&] { return keeper1->sync(); }), {6002}, {}, "keeper1");
        assertOfflineAnnouncements(life2.around([&] { return keeper2->sync(); }), {6002}, {}, "keeper2");
        assertSurvivorsWork({keeper1.get(), keeper2.get()}, 7);
        CPPUNIT_ASSERT_EQUAL(statuses({kOffline, kOffline}), statuses(queryStatuses(*keeper1, {6001, 6002})));
    }

    /// One run of tricklingIntoAHugeFrameIsClosedByTheIdleTimeout(), the keepers' sends noted in `life1` and `life2`.
    void tricklingIntoAHugeFrame(Lifeline& life1, Lifeline& life2)
    {
        auto keeper1 = life1.around([&] { return connectAdmitted(port()); });
        auto keeper2 = life2.around([&] { return connectAdmitted(port()); });
        auto trickler = connectAdmitted(port());
        trickler->send(tttest::onlineUserInfo({{7001, kOnline, kWindows}}));
        assertNothing(trickler->sync(), "trickler");

        // A header promising 4 MiB, then one byte a second: bytes, but never a whole PDU.
        const std::string promise = tttest::makeRawFrame(3, kMsgData, 0x0707, "", 4 * 1024 * 1024);
        trickler->send(promise);
        std::vector<std::string> relayed;
        bool closed = false;
        std::size_t trickled = 0;
        auto nextByte = Clock::now();
        const auto deadline = Clock::now() + 10s; // the idle timeout is 2 s: only a trickle that resets it lasts this long
        for (std::uint32_t round = 0; !closed && Clock::now() < deadline; ++round)
        {
            if (Clock::now() >= nextByte)
            {
                nextByte += 1s;
                closed = !trySend(*trickler, std::string(1, 'x'));
                trickled += closed ? 0 : 1;
            }
            // The keepers send whole PDUs (life) and keep relaying between themselves.
            relayed.push_back(tttest::msgData(7002, 7003, round, patternedBytes(200, round)));
            life1.around([&] { keeper1->send(relayed.back()); });
            life2.around([&] { keeper2->send(tttest::heartbeat()); });
            closed = closed || trickler->waitClosed(100ms);
        }
        CPPUNIT_ASSERT_MESSAGE(served_->log(), closed);
        CPPUNIT_ASSERT(trickled >= 1);
        const std::string line = served_->waitForLine({trickler->logName(), "disconnected (idle_timeout)"});
        CPPUNIT_ASSERT_MESSAGE(served_->log(), line.find("no whole PDU received for 2000 ms") != std::string::npos);

        // keeper2 got every relayed frame, in order, and heard the trickler's user go offline
        // once (somewhere among them); nothing partial.
        assertOfflineAnnouncements(life1.around([&] { return keeper1->sync(); }), {7001}, {}, "keeper1"); // and keeper1's last frame went out
        std::vector<WireFrame> messages;
        std::vector<WireFrame> others;
        for (auto& frame : life2.around([&] { return keeper2->sync(); }))
            (frame.commandId == kMsgData ? messages : others).push_back(std::move(frame));
        assertFrames(relayed, messages, "keeper2");
        assertOfflineAnnouncements(others, {7001}, {}, "keeper2");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(served_->log(), std::size_t(1), occurrences(served_->log(), "disconnected ("));
        assertSurvivorsWork({keeper1.get(), keeper2.get()}, 8);
    }

    /// Serves the plugin with `settings`. A lost connection's users are announced as it goes
    /// (route.peer_loss_grace = 0) unless `settings` say otherwise: the grace has suites of its own.
    void start(ServedPlugin::Settings settings = {})
    {
        settings.insert(settings.begin(), {"peer_loss_grace", "0"});
        served_ = std::make_unique<ServedPlugin>(TTROUTE_PLUGIN_PATH, settings);
    }

    std::uint16_t port() const { return served_->port(); }

    /// Each of `peers` in turn relays a MSG_DATA that every other one receives exactly, and
    /// gets its status query answered (sync() is one): the connections are fully in business.
    void assertSurvivorsWork(const std::vector<FakeMsgServer*>& peers, std::uint32_t round)
    {
        for (std::size_t i = 0; i < peers.size(); ++i)
        {
            const std::string message = tttest::msgData(round * 1000 + static_cast<std::uint32_t>(i), 1, round,
                                                        patternedBytes(100 + i, round * 16 + static_cast<unsigned>(i)));
            peers[i]->send(message);
            // The sender first: its answer comes after its message was handed to everyone.
            assertNothing(peers[i]->sync(), "survivor " + std::to_string(i) + " after it sent");
            for (std::size_t j = 0; j < peers.size(); ++j)
                if (j != i)
                    assertFrames({message}, peers[j]->sync(), "survivor " + std::to_string(j) + " after survivor " + std::to_string(i) + " sent");
        }
    }

    std::unique_ptr<ServedPlugin> served_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(FaultTest);
