// Order in targeted relay mode (Router.h): within one read each peer receives its frames in
// the order sent, consecutive frames to the same peers as one batch, with broadcasts, status
// updates and answers mixed in; and several senders at once keep each one's order.
#include "ProtocolConstants.h"
#include "RelayedFrames.h"
#include "RouterHarness.h"
#include "TargetedCommands.h"
#include "TargetedWorld.h"
#include "WireFrames.h"

#include "IM.Message.pb.h"

#include <cppunit/extensions/HelperMacros.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

using ttroute::ConnectionId;
using ttroute::RelayMode;
using tttest::fileNotify;
using tttest::groupChange;
using tttest::kickUser;
using tttest::p2p;
using tttest::readNotify;
using tttest::RecordingPeer;
using tttest::removeSession;
using tttest::signInfo;
using namespace targetedtest;
using namespace tttest::protocol;

using Harness = tttest::RouterHarness;

namespace
{

/// Frames for the ordering tests: a named frame and the peers it must reach.
struct Expected
{
    std::string frame;
    PeerSet to;
};

/// Each peer's expected byte stream when `frames` are routed in one read.
std::map<int, std::string> perPeer(const std::vector<Expected>& frames)
{
    std::map<int, std::string> out = {{1, ""}, {2, ""}, {3, ""}, {4, ""}};
    for (const auto& e : frames)
        for (int peer : e.to)
            out[peer] += e.frame;
    return out;
}

} // namespace

class TargetedOrderTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(TargetedOrderTest);
    CPPUNIT_TEST(consecutiveFramesToSameDestinationsArriveInOrder);
    CPPUNIT_TEST(framesToDifferentDestinationsKeepPerPeerOrder);
    CPPUNIT_TEST(mixOfTargetedBroadcastAndStatusUpdatesKeepsEachPeersOrder);
    CPPUNIT_TEST(concurrentSendersKeepPerSenderOrder);
    CPPUNIT_TEST_SUITE_END();

public:
    void consecutiveFramesToSameDestinationsArriveInOrder()
    {
        World w;
        // Every targeted command, each frame addressed to exactly peers 3 and 4.
        std::string toThreeAndFour;
        std::uint32_t n = 0;
        for (int round = 0; round < 3; ++round)
            for (const auto& command : targetedCommands())
                toThreeAndFour += command.build(kOnP3P4, command.otherIsTarget ? kOnP1 : kOnP2, ++n);
        w.h.route(w.peer(1), toThreeAndFour);
        CPPUNIT_ASSERT(!w.peer(1).received());
        CPPUNIT_ASSERT(!w.peer(2).received());
        for (int i : {3, 4})
        {
            CPPUNIT_ASSERT_MESSAGE("peer " + std::to_string(i), toThreeAndFour == w.peer(i).bytes());
            CPPUNIT_ASSERT_EQUAL(std::size_t(3 * targetedCommands().size()), w.peer(i).frames().size());
            // Router.h: a run of consecutive frames with the same destinations travels as one batch.
            CPPUNIT_ASSERT_EQUAL_MESSAGE("peer " + std::to_string(i) + " batches", std::size_t(1), w.peer(i).batchCount());
        }
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(3 * 2 * 2), sentPdus(w.h.counters, kMsgData)); // 6 frames x 2 peers

        // From peer 3, 40 MSG_DATA from user 20 (also on peer 4) to users on peer 2: all to {2, 4}.
        w.clear();
        std::string toTwo;
        for (std::uint32_t i = 0; i < 40; ++i)
            toTwo += msgData(kOnP3P4, i % 2 ? kOnP2 : kLeaveOnP2, 1000 + i);
        w.h.route(w.peer(3), toTwo);
        CPPUNIT_ASSERT(toTwo == w.peer(2).bytes());
        CPPUNIT_ASSERT(toTwo == w.peer(4).bytes());
        CPPUNIT_ASSERT(!w.peer(1).received());
        CPPUNIT_ASSERT(!w.peer(3).received());
    }

    void framesToDifferentDestinationsKeepPerPeerOrder()
    {
        World w;
        std::vector<Expected> frames;
        std::uint32_t n = 0;
        // Destinations change from frame to frame, come back, overlap, and include nobody.
        const std::vector<std::pair<std::uint32_t, PeerSet>> targets = {
            {kOnP2, {2}},           {kOnP3P4, {3, 4}},  {kOnP2, {2}},          {kNowhere, {}},
            {kMobileOnP3, {3}},     {kOnP3P4, {3, 4}},  {kOnP3P4, {3, 4}},     {kPcAndMobileOnP4, {4}},
            {kOnP1P2, {2}},         {kOnP1, {}},        {kLeaveOnP2, {2}},     {kMobileOnP3, {3}},
            {kPcAndMobileOnP4, {4}}, {kOnP2, {2}},       {kOnP3P4, {3, 4}},     {kNowhere, {}},
        };
        for (int round = 0; round < 2; ++round)
            for (const auto& command : targetedCommands())
                for (const auto& [user, to] : targets)
                {
                    // The other field names the sender's own user (on peer 1 only), so it adds no peer.
                    const std::string frame = command.build(user, kOnP1, ++n);
                    frames.push_back({w.name(frame, command.name + "#" + std::to_string(n)), to});
                }
        std::string stream;
        for (const auto& e : frames)
            stream += e.frame;
        const std::uint64_t before = w.h.counters.relayUnaddressed.load();
        w.h.route(w.peer(1), stream);
        const auto expected = perPeer(frames);
        for (int i = 1; i <= 4; ++i)
        {
            std::vector<std::string> names;
            for (const auto& e : frames)
                if (e.to.count(i))
                    names.push_back(w.names[e.frame]);
            std::string wanted;
            for (const auto& name : names)
                wanted += (wanted.empty() ? "" : ", ") + name;
            CPPUNIT_ASSERT_EQUAL_MESSAGE("peer " + std::to_string(i), wanted, w.received(i));
            CPPUNIT_ASSERT_MESSAGE("peer " + std::to_string(i) + " bytes", expected.at(i) == w.peer(i).bytes());
        }
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(2 * 3 * targetedCommands().size()), w.h.counters.relayUnaddressed.load() - before);
    }

    void mixOfTargetedBroadcastAndStatusUpdatesKeepsEachPeersOrder()
    {
        World w;
        const PeerSet all = {1, 2, 3, 4}, others = {2, 3, 4};
        auto named = [&w](const std::string& frame, const std::string& name) { return w.name(frame, name); };
        auto login = [](std::uint32_t user, int on) { return "7/070e " + std::to_string(user) + " login=" + std::to_string(on); };
        auto buddy = [](std::uint32_t user, std::uint32_t status) { return "2/0203 " + std::to_string(user) + " status=" + std::to_string(status); };
        const std::vector<std::pair<std::string, PeerSet>> script = {
            {named(msgData(kOnP1, kOnP2, 1), "msg->10"), {2}},
            {tttest::statusUpdate(51, kOnline, kWindows), {}}, // login + buddy to all
            {named(msgData(kOnP1, kOnP3P4, 2), "msg->20"), {3, 4}},
            {named(msgData(kOnP1, kOnP2, 3, 0x11), "group msg"), others},
            {named(signInfo(kOnP1, 4), "sign"), all},
            {named(readNotify(kOnP2, kOnP1, 5), "read 10"), {2}},
            {tttest::statusRequest(0x77, 5, {kOnP2, 51}), {}}, // reply to peer 1
            {named(kickUser(kNowhere, kWindows, 6), "kick 99"), {}},
            {tttest::statusUpdate(51, kOffline, kWindows), {}}, // buddy offline to all
            {named(fileNotify(kOnP1, kOnP3P4, 7), "file->20"), {3, 4}},
            {named(p2p(kOnP1P2, kPcAndMobileOnP4, 8), "p2p 40->60"), {2, 4}},
            {named(groupChange(kOnP1, 77, kOnP2), "group change"), others},
            {tttest::statusUpdate(kOnP1P2, kOffline, kMac), {}}, // 40 keeps iOS on peer 2: login 0 + buddy offline
            {named(removeSession(kOnP1P2, kOnP2), "remove 40"), {2}},
            {tttest::heartbeat(), {}},
            {named(msgData(kOnP1, kMobileOnP3, 9), "msg->30"), {3}},
            {named(msgData(kOnP1, kMobileOnP3, 10, 0x02), "audio->30"), {3}},
            {named(kickUser(kOnP3P4, kAndroid, 11), "kick 20"), {3, 4}},
        };
        std::string stream;
        for (const auto& [frame, to] : script)
            stream += frame;
        w.h.route(w.peer(1), stream);

        const std::vector<std::pair<std::string, PeerSet>> tokens = {
            {"msg->10", {2}},
            {login(51, 1), all},
            {buddy(51, kOnline), all},
            {"msg->20", {3, 4}},
            {"group msg", others},
            {"sign", all},
            {"read 10", {2}},
            {"2/020b seq=119", {1}},
            {buddy(51, kOffline), all},
            {"file->20", {3, 4}},
            {"p2p 40->60", {2, 4}},
            {"group change", others},
            {login(kOnP1P2, 0), all},
            {buddy(kOnP1P2, kOffline), all},
            {"remove 40", {2}},
            {"msg->30", {3}},
            {"audio->30", {3}},
            {"kick 20", {3, 4}},
        };
        for (int i = 1; i <= 4; ++i)
        {
            std::string wanted;
            for (const auto& [token, to] : tokens)
                if (to.count(i))
                    wanted += (wanted.empty() ? "" : ", ") + token;
            CPPUNIT_ASSERT_EQUAL_MESSAGE("peer " + std::to_string(i), wanted, w.received(i));
        }
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), w.h.counters.relayUnaddressed.load());
    }

    void concurrentSendersKeepPerSenderOrder()
    {
        // Four peers route targeted frames at once: each receiver gets exactly the frames
        // addressed to it, and every sender's frames in the order sent.
        Harness h(settingsFor(RelayMode::Targeted));
        std::vector<std::shared_ptr<RecordingPeer>> peers;
        for (int i = 1; i <= 4; ++i)
        {
            peers.push_back(h.attach(static_cast<ConnectionId>(i), i % 2 == 0));
            // User 100+i on peer i alone; user 200 on every peer.
            h.route(*peers.back(), tttest::onlineUserInfo({{100u + static_cast<std::uint32_t>(i), kOnline, i % 2 ? kWindows : kAndroid},
                                                           {200, kOnline, kIos}}));
        }
        constexpr std::uint32_t kReads = 200;
        std::vector<std::thread> threads;
        for (int i = 1; i <= 4; ++i)
            threads.emplace_back([&h, &peers, i] {
                const std::uint32_t self = 100u + static_cast<std::uint32_t>(i);
                for (std::uint32_t read = 0; read < kReads; ++read)
                {
                    std::string stream;
                    for (std::uint32_t k = 0; k < 4; ++k)
                    {
                        const std::uint32_t seq = read * 4 + k;
                        // From own user (only on the sender) to one other peer's user, or to user 200.
                        const std::uint32_t to = k == 3 ? 200u : 101u + (static_cast<std::uint32_t>(i) + k) % 4;
                        stream += msgData(self, to, static_cast<std::uint32_t>(i) * 1000000 + seq);
                    }
                    h.route(*peers[static_cast<std::size_t>(i - 1)], stream);
                }
            });
        for (auto& thread : threads)
            thread.join();
        for (int r = 1; r <= 4; ++r)
        {
            std::map<std::uint32_t, std::vector<std::uint32_t>> bySender;
            for (const auto& frame : peers[static_cast<std::size_t>(r - 1)]->frames())
            {
                IM::Message::IMMsgData data;
                CPPUNIT_ASSERT(frame.parse(data));
                CPPUNIT_ASSERT_MESSAGE("addressed to peer " + std::to_string(r), data.to_session_id() == 200 || data.to_session_id() == 100u + static_cast<std::uint32_t>(r));
                bySender[data.msg_id() / 1000000].push_back(data.msg_id() % 1000000);
            }
            CPPUNIT_ASSERT_MESSAGE("peer " + std::to_string(r) + " got its own frames", bySender.count(static_cast<std::uint32_t>(r)) == 0);
            for (int s = 1; s <= 4; ++s)
            {
                if (s == r)
                    continue;
                std::vector<std::uint32_t> wanted;
                for (std::uint32_t read = 0; read < kReads; ++read)
                    for (std::uint32_t k = 0; k < 4; ++k)
                        if (k == 3 || 101u + (static_cast<std::uint32_t>(s) + k) % 4 == 100u + static_cast<std::uint32_t>(r))
                            wanted.push_back(read * 4 + k);
                CPPUNIT_ASSERT_MESSAGE("peer " + std::to_string(r) + " from peer " + std::to_string(s),
                                       wanted == bySender[static_cast<std::uint32_t>(s)]);
            }
        }
        // Each sender: 3 of every 4 frames go to one peer (or to itself: unaddressed), the 4th to 3 peers.
        std::uint64_t unaddressed = 0;
        for (std::uint32_t s = 1; s <= 4; ++s)
            for (std::uint32_t k = 0; k < 3; ++k)
                unaddressed += 101u + (s + k) % 4 == 100u + s ? kReads : 0;
        CPPUNIT_ASSERT_EQUAL(unaddressed, h.counters.relayUnaddressed.load());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(TargetedOrderTest);
