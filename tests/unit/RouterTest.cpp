// The router against protocol.md §5–§7, without sockets: recording peers stand in for msg
// servers. Covers the relay table byte for byte, status requests and their cap, the
// notification rules after status updates, ONLINE_USER_INFO and ROLE_SET, bad bodies,
// per-peer ordering within one read, connection loss, and the counters.
#include "DiagnosticText.h"
#include "FrameTokens.h"
#include "ProtocolConstants.h"
#include "RecordingPeer.h"
#include "RouterHarness.h"
#include "WireFrames.h"
#include "config/RouteSettings.h"
#include "routing/RouteCounters.h"
#include "wire/ProtocolIds.h"

#include "IM.BaseDefine.pb.h"
#include "IM.Buddy.pb.h"
#include "IM.File.pb.h"
#include "IM.Group.pb.h"
#include "IM.Message.pb.h"
#include "IM.Server.pb.h"
#include "IM.SwitchService.pb.h"

#include <cppunit/extensions/HelperMacros.h>

#include <map>
#include <thread>

using ttroute::ConnectionId;
using ttroute::RouteCounters;
using ttroute::RouteSettings;
using tttest::buddyNotify;
using tttest::describeBytes;
using tttest::describeFrame;
using tttest::described;
using tttest::joined;
using tttest::loginNotify;
using tttest::RecordingPeer;
using tttest::tokens;
using tttest::WireFrame;
using namespace tttest::protocol;

namespace
{

/// The commands protocol.md §6 relays to every connection but the sender, with their services.
const std::vector<std::pair<std::uint16_t, std::uint16_t>> kRelayedToOthers = {
    {0x0003, 0x0301}, // MSG_DATA
    {0x0006, 0x0601}, // SWITCH_P2P_CMD
    {0x0003, 0x0304}, // MSG_READ_NOTIFY
    {0x0007, 0x070d}, // OTHER_SERVER_KICK_USER
    {0x0004, 0x040b}, // GROUP_CHANGE_MEMBER_NOTIFY
    {0x0005, 0x0508}, // FILE_NOTIFY
    {0x0002, 0x020f}, // BUDDY_LIST_REMOVE_SESSION_NOTIFY
};

/// A valid frame of relayed command `commandId` whose body carries `n`, so frames differ.
std::string relayFrame(std::uint16_t commandId, std::uint32_t n, std::uint16_t seqNum = 0)
{
    switch (commandId)
    {
        case 0x0301:
            return tttest::msgData(n, n + 1, n + 2, "hello " + std::to_string(n));
        case 0x0601:
        {
            IM::SwitchService::IMP2PCmdMsg msg;
            msg.set_from_user_id(n);
            msg.set_to_user_id(n + 1);
            msg.set_cmd_msg_data("shake " + std::to_string(n));
            return tttest::makeFrame(6, commandId, seqNum, msg);
        }
        case 0x0304:
        {
            IM::Message::IMMsgDataReadNotify msg;
            msg.set_user_id(n);
            msg.set_session_id(n + 1);
            msg.set_msg_id(n + 2);
            msg.set_session_type(IM::BaseDefine::SESSION_TYPE_SINGLE);
            return tttest::makeFrame(3, commandId, seqNum, msg);
        }
        case 0x070d:
        {
            IM::Server::IMServerKickUser msg;
            msg.set_user_id(n);
            msg.set_client_type(IM::BaseDefine::CLIENT_TYPE_WINDOWS);
            msg.set_reason(1);
            return tttest::makeFrame(7, commandId, seqNum, msg);
        }
        case 0x040b:
        {
            IM::Group::IMGroupChangeMemberNotify msg;
            msg.set_user_id(n);
            msg.set_change_type(IM::BaseDefine::GROUP_MODIFY_TYPE_ADD);
            msg.set_group_id(n + 10);
            msg.add_cur_user_id_list(n);
            msg.add_cur_user_id_list(n + 1);
            msg.add_chg_user_id_list(n + 1);
            return tttest::makeFrame(4, commandId, seqNum, msg);
        }
        case 0x0508:
        {
            IM::File::IMFileNotify msg;
            msg.set_from_user_id(n);
            msg.set_to_user_id(n + 1);
            msg.set_file_name("file" + std::to_string(n) + ".txt");
            msg.set_file_size(1234);
            msg.set_task_id("task-" + std::to_string(n));
            auto* ip = msg.add_ip_addr_list();
            ip->set_ip("10.0.0.1");
            ip->set_port(8600);
            msg.set_trans_mode(IM::BaseDefine::FILE_TYPE_ONLINE);
            msg.set_offline_ready(0);
            return tttest::makeFrame(5, commandId, seqNum, msg);
        }
        case 0x020f:
        {
            IM::Buddy::IMRemoveSessionNotify msg;
            msg.set_user_id(n);
            msg.set_session_type(IM::BaseDefine::SESSION_TYPE_GROUP);
            msg.set_session_id(n + 5);
            return tttest::makeFrame(2, commandId, seqNum, msg);
        }
        case 0x0215:
        {
            IM::Buddy::IMSignInfoChangedNotify msg;
            msg.set_changed_user_id(n);
            msg.set_sign_info("signature " + std::to_string(n));
            return tttest::makeFrame(2, commandId, seqNum, msg);
        }
    }
    throw std::logic_error("not a relayed command: " + tttest::hex4(commandId));
}

std::string signInfoChanged(std::uint32_t n)
{
    return relayFrame(0x0215, n);
}


/// Settings under which a lost connection's users are announced before detach() returns
/// (route.peer_loss_grace = 0), for the tests of what is announced.
ttroute::RouteSettings announcedAtOnce()
{
    ttroute::RouteSettings settings;
    settings.peerLossGrace = std::chrono::milliseconds(0);
    return settings;
}

/// The router with everything it needs, peers to route between, and status queries.
struct Harness : tttest::RouterHarness
{
    using RouterHarness::RouterHarness;

    /// The statuses the router answers for `ids`, asked by `asker` (whose recording is cleared).
    std::string statusOf(RecordingPeer& asker, const std::vector<std::uint32_t>& ids)
    {
        asker.clear();
        route(asker, tttest::statusRequest(1, 1, ids));
        const auto frames = asker.frames();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), frames.size());
        IM::Buddy::IMUsersStatRsp response;
        CPPUNIT_ASSERT(frames[0].parse(response));
        std::string out;
        for (const auto& stat : response.user_stat_list())
            out += (out.empty() ? "" : " ") + std::to_string(stat.user_id()) + "=" + std::to_string(stat.status());
        asker.clear();
        return out;
    }
};

/// The counters at one moment, to compare with another.
struct CounterSnapshot
{
    std::uint64_t framesReceived, bytesReceived, framesRelayed, statusQueries, idsQueried, notificationsSent, bodiesDropped,
        framesIgnored;

    explicit CounterSnapshot(const RouteCounters& c)
        : framesReceived(sum(c.received.pdus))
        , bytesReceived(sum(c.received.bytes))
        , framesRelayed(c.framesRelayed.load())
        , statusQueries(c.statusQueries.load())
        , idsQueried(c.idsQueried.load())
        , notificationsSent(c.notificationsSent.load())
        , bodiesDropped(c.bodiesDropped.load())
        , framesIgnored(c.framesIgnored.load())
    {
    }

    static std::uint64_t sum(const std::atomic<std::uint64_t> (&slots)[ttroute::kCommandSlots])
    {
        std::uint64_t total = 0;
        for (const auto& slot : slots)
            total += slot.load();
        return total;
    }
};

} // namespace

class RouterTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(RouterTest);
    CPPUNIT_TEST(eachRelayedCommandGoesToEveryOtherPeer);
    CPPUNIT_TEST(signInfoChangedGoesToEveryoneIncludingSender);
    CPPUNIT_TEST(relayIsByteExactAndDispatchedByCommandAlone);
    CPPUNIT_TEST(relayedBodyIsNotParsed);
    CPPUNIT_TEST(relayWithNoOtherPeerGoesNowhere);
    CPPUNIT_TEST(relaySurvivesAPeerTakingSharedCopy);
    CPPUNIT_TEST(consecutiveRelaysArriveInOrder);
    CPPUNIT_TEST(relaysOfDifferentDestinationsKeepOrder);
    CPPUNIT_TEST(relaysAroundHeartbeatAndIgnoredFrames);
    CPPUNIT_TEST(unknownAndRouteToMsgCommandsAreDropped);
    CPPUNIT_TEST(heartbeatProducesNothing);
    CPPUNIT_TEST(statusRequestAnsweredOnlyToSender);
    CPPUNIT_TEST(statusRequestWithoutAttachData);
    CPPUNIT_TEST(statusRequestWithBinaryAttachData);
    CPPUNIT_TEST(emptyStatusRequestGetsEmptyReply);
    CPPUNIT_TEST(statusRequestCappedAtMaxStatusQueryIds);
    CPPUNIT_TEST(statusRequestAtExactlyTheCapIsAnsweredWhole);
    CPPUNIT_TEST(statusRequestDefaultCapIsTenThousand);
    CPPUNIT_TEST(severalStatusRequestsInOneRead);
    CPPUNIT_TEST(pcLoginNotifiesOnline);
    CPPUNIT_TEST(secondPcLoginStillNotifiesOnline);
    CPPUNIT_TEST(pcLogoffWithAnotherPcLeftSendsNothing);
    CPPUNIT_TEST(lastPcLogoffWithMobileLeft);
    CPPUNIT_TEST(lastPcLogoffWithNothingLeft);
    CPPUNIT_TEST(mobileLoginWithoutPc);
    CPPUNIT_TEST(mobileLoginWithPcOnline);
    CPPUNIT_TEST(mobileLogoff);
    CPPUNIT_TEST(leaveStatus);
    CPPUNIT_TEST(pcOfflineForUnknownUser);
    CPPUNIT_TEST(pcOfflineFromPeerNotHostingUser);
    CPPUNIT_TEST(statusUpdatesOfOneReadNotifyInOrder);
    CPPUNIT_TEST(manyStatusUpdatesInOneRead);
    CPPUNIT_TEST(invalidUserStatusIsDropped);
    CPPUNIT_TEST(unparsableStatusUpdateIsDropped);
    CPPUNIT_TEST(unparsableOnlineUserInfoIsDropped);
    CPPUNIT_TEST(unparsableStatusRequestIsDropped);
    CPPUNIT_TEST(unparsableRoleSetIsDropped);
    CPPUNIT_TEST(onlineUserInfoAppliesEntriesSilently);
    CPPUNIT_TEST(onlineUserInfoBelongsToSender);
    CPPUNIT_TEST(onlineUserInfoBetweenRelays);
    CPPUNIT_TEST(largeOnlineUserInfoAppliesEveryEntryInOrder);
    CPPUNIT_TEST(scratchKeepsUsualBuffersAndFreesLargeOnes);
    CPPUNIT_TEST(roleSetRecordsTheRole);
    CPPUNIT_TEST(readOrderIsKeptForEveryPeer);
    CPPUNIT_TEST(detachAnnouncesUsersWhoLostLastPcLogin);
    CPPUNIT_TEST(detachWithoutAnnounceRemovesPresenceSilently);
    CPPUNIT_TEST(detachOfPeerWithoutUsers);
    CPPUNIT_TEST(detachOfPeerWithOneUser);
    CPPUNIT_TEST(detachedPeerReceivesNothingMore);
    CPPUNIT_TEST(detachOfManyUsers);
    CPPUNIT_TEST(countersAdvanceByExactAmounts);
    CPPUNIT_TEST(everyPeerSeesNotificationsInTheSameOrder);
    CPPUNIT_TEST_SUITE_END();

public:
    void eachRelayedCommandGoesToEveryOtherPeer()
    {
        for (const auto& [serviceId, commandId] : kRelayedToOthers)
        {
            Harness h;
            auto a = h.attach(1), b = h.attach(2), c = h.attach(3);
            const std::string frame = relayFrame(commandId, 100, 0x1234);
            CPPUNIT_ASSERT_EQUAL(serviceId, static_cast<std::uint16_t>((static_cast<unsigned char>(frame[8]) << 8) | static_cast<unsigned char>(frame[9])));
            const std::string what = "command " + tttest::hex4(commandId);
            for (auto* from : {b.get(), a.get(), c.get()})
            {
                a->clear(), b->clear(), c->clear();
                h.route(*from, frame);
                for (auto* peer : {a.get(), b.get(), c.get()})
                {
                    const std::string expected = peer == from ? std::string() : frame;
                    CPPUNIT_ASSERT_MESSAGE(what + " from " + from->description() + " to " + peer->description(), expected == peer->bytes());
                }
            }
            CPPUNIT_ASSERT_EQUAL_MESSAGE(what, std::uint64_t(3), h.counters.framesRelayed.load());
            CPPUNIT_ASSERT_EQUAL_MESSAGE(what, std::uint64_t(0), h.counters.framesIgnored.load());
            CPPUNIT_ASSERT_EQUAL_MESSAGE(what, std::uint64_t(0), h.counters.notificationsSent.load());
        }
    }

    void signInfoChangedGoesToEveryoneIncludingSender()
    {
        Harness h;
        auto a = h.attach(1), b = h.attach(2), c = h.attach(3);
        const std::string frame = signInfoChanged(42);
        h.route(*b, frame);
        CPPUNIT_ASSERT(frame == a->bytes());
        CPPUNIT_ASSERT(frame == b->bytes());
        CPPUNIT_ASSERT(frame == c->bytes());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), h.counters.framesRelayed.load());
    }

    void relayIsByteExactAndDispatchedByCommandAlone()
    {
        // Odd version, flag, reserved and service: forwarded untouched, never re-encoded.
        Harness h;
        auto a = h.attach(1), b = h.attach(2);
        std::string frame = relayFrame(0x0301, 5, 0xFFFF);
        frame[5] = '\x07';  // version
        frame[7] = '\x09';  // flag
        frame[9] = '\x0C';  // service 0x000c: not MSG's, still relayed by command id
        frame[14] = '\xAB'; // reserved
        frame[15] = '\xCD';
        std::string sign = signInfoChanged(6);
        sign[9] = '\x33';
        h.route(*a, frame + sign);
        CPPUNIT_ASSERT(frame + sign == b->bytes());
        CPPUNIT_ASSERT(sign == a->bytes());
    }

    void relayedBodyIsNotParsed()
    {
        Harness h;
        auto a = h.attach(1), b = h.attach(2);
        const std::string garbage = tttest::makeRawFrame(3, 0x0301, 1, std::string("\xFF\xFF\xFF\x00\x01", 5));
        const std::string empty = tttest::makeRawFrame(5, 0x0508, 2, "");
        h.route(*a, garbage + empty);
        CPPUNIT_ASSERT(garbage + empty == b->bytes());
        CPPUNIT_ASSERT(!a->received());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), h.counters.bodiesDropped.load());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), h.counters.framesRelayed.load());
    }

    void relayWithNoOtherPeerGoesNowhere()
    {
        Harness h;
        auto a = h.attach(1);
        h.route(*a, relayFrame(0x0301, 1) + relayFrame(0x0601, 2));
        CPPUNIT_ASSERT(!a->received());
    }

    void relaySurvivesAPeerTakingSharedCopy()
    {
        Harness h;
        auto a = h.attach(1), queued = h.attach(2, true), direct = h.attach(3), queuedToo = h.attach(4, true);
        const std::string stream = relayFrame(0x0301, 1) + relayFrame(0x040b, 2) + relayFrame(0x0508, 3);
        h.route(*a, stream);
        CPPUNIT_ASSERT(stream == queued->bytes());
        CPPUNIT_ASSERT(stream == direct->bytes());
        CPPUNIT_ASSERT(stream == queuedToo->bytes());
        CPPUNIT_ASSERT(!a->received());
    }

    void consecutiveRelaysArriveInOrder()
    {
        Harness h;
        auto a = h.attach(1), b = h.attach(2), c = h.attach(3);
        std::string stream;
        for (std::uint32_t i = 0; i < 50; ++i)
            stream += relayFrame(kRelayedToOthers[i % kRelayedToOthers.size()].second, i, static_cast<std::uint16_t>(i));
        h.route(*b, stream);
        CPPUNIT_ASSERT(stream == a->bytes());
        CPPUNIT_ASSERT(stream == c->bytes());
        CPPUNIT_ASSERT(!b->received());
        CPPUNIT_ASSERT_EQUAL(std::size_t(50), a->frames().size());
        // Router.h: a run of consecutive frames with the same destinations travels as one batch.
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), a->batchCount());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(50), h.counters.framesRelayed.load());
    }

    void relaysOfDifferentDestinationsKeepOrder()
    {
        Harness h;
        auto a = h.attach(1), b = h.attach(2);
        const std::string m1 = relayFrame(0x0301, 1), s2 = signInfoChanged(2), s3 = signInfoChanged(3), m4 = relayFrame(0x0304, 4),
                          s5 = signInfoChanged(5);
        h.route(*a, m1 + s2 + s3 + m4 + s5);
        CPPUNIT_ASSERT(m1 + s2 + s3 + m4 + s5 == b->bytes());
        CPPUNIT_ASSERT(s2 + s3 + s5 == a->bytes());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(5), h.counters.framesRelayed.load());
    }

    void relaysAroundHeartbeatAndIgnoredFrames()
    {
        Harness h;
        auto a = h.attach(1), b = h.attach(2);
        const std::string r1 = relayFrame(0x0301, 1), r2 = relayFrame(0x0301, 2), r3 = relayFrame(0x0601, 3);
        h.route(*a, r1 + tttest::heartbeat() + r2 + tttest::makeRawFrame(9, 0x0999, 0, "junk") + r3);
        CPPUNIT_ASSERT(r1 + r2 + r3 == b->bytes());
        CPPUNIT_ASSERT(!a->received());
    }

    void unknownAndRouteToMsgCommandsAreDropped()
    {
        Harness h;
        auto a = h.attach(1), b = h.attach(2);
        h.route(*a, tttest::statusUpdate(7, kOnline, kWindows));
        a->clear(), b->clear();
        const CounterSnapshot before(h.counters);
        // Route→msg ids (what we send, never what we accept), and ids nobody defines.
        std::string stream;
        const std::vector<std::pair<std::uint16_t, std::uint16_t>> ignored = {
            {7, 0x070e}, {2, 0x020b}, {2, 0x0203}, {3, 0x0302}, {7, 0x0709}, {0, 0x0000}, {0xFFFF, 0xFFFF}, {2, 0x0201}, {7, 0x0702}};
        for (const auto& [serviceId, commandId] : ignored)
            stream += tttest::makeRawFrame(serviceId, commandId, 3, "\x08\x07");
        // A real LOGIN_STATUS_NOTIFY body must not be mistaken for anything either.
        IM::Server::IMServerPCLoginStatusNotify notify;
        notify.set_user_id(7);
        notify.set_login_status(0);
        stream += tttest::makeFrame(7, 0x070e, 0, notify);
        h.route(*a, stream);
        CPPUNIT_ASSERT(!a->received());
        CPPUNIT_ASSERT(!b->received());
        const CounterSnapshot after(h.counters);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(ignored.size() + 1), after.framesIgnored - before.framesIgnored);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), after.framesRelayed - before.framesRelayed);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), after.bodiesDropped - before.bodiesDropped);
        CPPUNIT_ASSERT_EQUAL(std::string("7=1"), h.statusOf(*a, {7}));
    }

    void heartbeatProducesNothing()
    {
        Harness h;
        auto a = h.attach(1), b = h.attach(2);
        h.route(*a, tttest::heartbeat() + tttest::heartbeat() + tttest::makeRawFrame(7, 0x0701, 9, ""));
        CPPUNIT_ASSERT(!a->received());
        CPPUNIT_ASSERT(!b->received());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), h.counters.framesIgnored.load());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), h.counters.framesRelayed.load());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(3), h.counters.received.pdus[ttroute::commandSlot(ttroute::CommandId::Heartbeat)].load());
    }

    void statusRequestAnsweredOnlyToSender()
    {
        Harness h;
        auto a = h.attach(1), b = h.attach(2), c = h.attach(3);
        h.route(*b, tttest::onlineUserInfo({{10, kOnline, kWindows}, {11, kOnline, kIos}, {12, kLeave, kMac}, {13, kOnline, kAndroid}}));
        h.route(*c, tttest::onlineUserInfo({{13, kOnline, kMac}}));
        const std::string attach = "opaque attach";
        h.route(*a, tttest::statusRequest(0xBEEF, 777, {12, 10, 10, 99, 11, 10, 13, 0, 12, 12}, &attach));
        CPPUNIT_ASSERT(!b->received());
        CPPUNIT_ASSERT(!c->received());
        const auto frames = a->frames();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), frames.size());
        const WireFrame& reply = frames[0];
        CPPUNIT_ASSERT_EQUAL(std::uint16_t(2), reply.serviceId);
        CPPUNIT_ASSERT_EQUAL(std::uint16_t(0x020b), reply.commandId);
        CPPUNIT_ASSERT_EQUAL(std::uint16_t(0xBEEF), reply.seqNum);
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(reply.bytes.size()), reply.length);
        IM::Buddy::IMUsersStatRsp response;
        CPPUNIT_ASSERT(reply.parse(response));
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(777), response.user_id());
        CPPUNIT_ASSERT(response.has_attach_data());
        CPPUNIT_ASSERT_EQUAL(attach, response.attach_data());
        // Request order, duplicates kept; unknown and mobile-only read OFFLINE, LEAVE on a PC reads ONLINE.
        const std::vector<std::pair<std::uint32_t, std::uint32_t>> expected = {
            {12, kOnline}, {10, kOnline}, {10, kOnline}, {99, kOffline}, {11, kOffline},
            {10, kOnline}, {13, kOnline},  {0, kOffline}, {12, kOnline},  {12, kOnline}};
        CPPUNIT_ASSERT_EQUAL(int(expected.size()), response.user_stat_list_size());
        for (int i = 0; i < response.user_stat_list_size(); ++i)
        {
            CPPUNIT_ASSERT_EQUAL(expected[i].first, response.user_stat_list(i).user_id());
            CPPUNIT_ASSERT_EQUAL_MESSAGE("entry " + std::to_string(i), expected[i].second,
                                         std::uint32_t(response.user_stat_list(i).status()));
        }
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), h.counters.statusQueries.load());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(10), h.counters.idsQueried.load());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), h.counters.notificationsSent.load());
    }

    void statusRequestWithoutAttachData()
    {
        Harness h;
        auto a = h.attach(1);
        h.route(*a, tttest::statusRequest(5, 9, {1}));
        const auto frames = a->frames();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), frames.size());
        IM::Buddy::IMUsersStatRsp response;
        CPPUNIT_ASSERT(frames[0].parse(response));
        CPPUNIT_ASSERT(!response.has_attach_data());
        CPPUNIT_ASSERT_EQUAL(std::string("2/020b seq=5 user=9 [ 1=2 ]"), describeFrame(frames[0]));
    }

    void statusRequestWithBinaryAttachData()
    {
        Harness h;
        auto a = h.attach(1);
        std::string attach(300, '\0');
        for (std::size_t i = 0; i < attach.size(); ++i)
            attach[i] = static_cast<char>(i * 37);
        h.route(*a, tttest::statusRequest(6, 9, {1, 2}, &attach));
        const std::string emptyAttach;
        h.route(*a, tttest::statusRequest(7, 9, {3}, &emptyAttach));
        const auto frames = a->frames();
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), frames.size());
        IM::Buddy::IMUsersStatRsp first, second;
        CPPUNIT_ASSERT(frames[0].parse(first));
        CPPUNIT_ASSERT(frames[1].parse(second));
        CPPUNIT_ASSERT(attach == first.attach_data());
        // Present but empty is still present: copied unchanged.
        CPPUNIT_ASSERT(second.has_attach_data());
        CPPUNIT_ASSERT(second.attach_data().empty());
    }

    void emptyStatusRequestGetsEmptyReply()
    {
        Harness h;
        auto a = h.attach(1), b = h.attach(2);
        h.route(*a, tttest::onlineUserInfo({{1, kOnline, kWindows}}));
        const std::string attach = "x";
        h.route(*a, tttest::statusRequest(31, 555, {}, &attach));
        const auto frames = a->frames();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), frames.size());
        CPPUNIT_ASSERT_EQUAL(std::string("2/020b seq=31 user=555 [ ] attach=x"), describeFrame(frames[0]));
        CPPUNIT_ASSERT(!b->received());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), h.counters.statusQueries.load());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), h.counters.idsQueried.load());
    }

    void statusRequestCappedAtMaxStatusQueryIds()
    {
        RouteSettings settings;
        settings.maxStatusQueryIds = 3;
        Harness h(settings);
        auto a = h.attach(1);
        h.route(*a, tttest::onlineUserInfo({{1, kOnline, kWindows}, {3, kOnline, kWindows}, {4, kOnline, kWindows}}));
        const std::string attach = "att";
        h.route(*a, tttest::statusRequest(8, 9, {4, 2, 3, 1, 4, 5}, &attach));
        const auto frames = a->frames();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), frames.size());
        CPPUNIT_ASSERT_EQUAL(std::string("2/020b seq=8 user=9 [ 4=1 2=2 3=1 ] attach=att"), describeFrame(frames[0]));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), h.counters.statusQueries.load());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(3), h.counters.idsQueried.load());
    }

    void scratchKeepsUsualBuffersAndFreesLargeOnes()
    {
        // A connection keeps its query buffer from read to read, unless one rare read grew it
        // large: then it goes, and the next usual query grows a small one again.
        Harness h;
        auto a = h.attach(1);
        h.route(*a, tttest::statusRequest(1, 9, {1, 2, 3}));
        const std::size_t usual = a->scratch.query.bufferBytes();
        CPPUNIT_ASSERT(usual > 0);
        h.route(*a, tttest::statusRequest(2, 9, {4, 5}));
        CPPUNIT_ASSERT_EQUAL(usual, a->scratch.query.bufferBytes());
        h.route(*a, tttest::statusRequest(3, 9, std::vector<std::uint32_t>(100000, 7)));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), a->scratch.query.bufferBytes());
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), a->scratch.online.capacity());
        h.route(*a, tttest::statusRequest(4, 9, {1}));
        CPPUNIT_ASSERT(a->scratch.query.bufferBytes() > 0);
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), a->frames().size());
    }

    void statusRequestAtExactlyTheCapIsAnsweredWhole()
    {
        RouteSettings settings;
        settings.maxStatusQueryIds = 3;
        Harness h(settings);
        auto a = h.attach(1);
        h.route(*a, tttest::statusRequest(8, 9, {7, 8, 7}) + tttest::statusRequest(9, 9, {1, 2}));
        CPPUNIT_ASSERT_EQUAL(joined({"2/020b seq=8 user=9 [ 7=2 8=2 7=2 ]", "2/020b seq=9 user=9 [ 1=2 2=2 ]"}), described(*a));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(5), h.counters.idsQueried.load());
    }

    void statusRequestDefaultCapIsTenThousand()
    {
        Harness h;
        auto a = h.attach(1);
        h.route(*a, tttest::onlineUserInfo({{10000, kOnline, kWindows}, {10001, kOnline, kWindows}}));
        std::vector<std::uint32_t> ids;
        for (std::uint32_t id = 1; id <= 10001; ++id)
            ids.push_back(id);
        h.route(*a, tttest::statusRequest(3, 9, ids));
        const auto frames = a->frames();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), frames.size());
        IM::Buddy::IMUsersStatRsp response;
        CPPUNIT_ASSERT(frames[0].parse(response));
        CPPUNIT_ASSERT_EQUAL(10000, response.user_stat_list_size());
        for (int i = 0; i < response.user_stat_list_size(); ++i)
            CPPUNIT_ASSERT_EQUAL(std::uint32_t(i + 1), response.user_stat_list(i).user_id());
        CPPUNIT_ASSERT_EQUAL(IM::BaseDefine::USER_STATUS_ONLINE, response.user_stat_list(9999).status());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(10000), h.counters.idsQueried.load());
    }

    void severalStatusRequestsInOneRead()
    {
        Harness h;
        auto a = h.attach(1), b = h.attach(2);
        h.route(*b, tttest::statusUpdate(50, kOnline, kWindows));
        a->clear(), b->clear();
        h.route(*a, tttest::statusRequest(1, 9, {50}) + tttest::statusRequest(2, 9, {51}) + tttest::statusRequest(3, 8, {50, 51}));
        CPPUNIT_ASSERT_EQUAL(joined({"2/020b seq=1 user=9 [ 50=1 ]", "2/020b seq=2 user=9 [ 51=2 ]",
                                     "2/020b seq=3 user=8 [ 50=1 51=2 ]"}),
                             described(*a));
        CPPUNIT_ASSERT(!b->received());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(3), h.counters.statusQueries.load());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(4), h.counters.idsQueried.load());
    }

    void pcLoginNotifiesOnline()
    {
        Harness h;
        auto a = h.attach(1), b = h.attach(2), c = h.attach(3);
        h.route(*b, tttest::statusUpdate(100, kOnline, kWindows));
        const std::string expected = joined({loginNotify(100, 1), buddyNotify(100, kOnline)});
        for (auto* peer : {a.get(), b.get(), c.get()})
            CPPUNIT_ASSERT_EQUAL_MESSAGE(peer->description(), expected, described(*peer));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), h.counters.notificationsSent.load());
        CPPUNIT_ASSERT_EQUAL(std::string("100=1"), h.statusOf(*a, {100}));
    }

    void secondPcLoginStillNotifiesOnline()
    {
        Harness h;
        auto a = h.attach(1), b = h.attach(2);
        h.route(*a, tttest::statusUpdate(100, kOnline, kWindows));
        a->clear(), b->clear();
        h.route(*a, tttest::statusUpdate(100, kOnline, kWindows));
        const std::string expected = joined({loginNotify(100, 1), buddyNotify(100, kOnline)});
        CPPUNIT_ASSERT_EQUAL(expected, described(*a));
        CPPUNIT_ASSERT_EQUAL(expected, described(*b));
        a->clear(), b->clear();
        h.route(*b, tttest::statusUpdate(100, kOnline, kMac));
        CPPUNIT_ASSERT_EQUAL(expected, described(*a));
        CPPUNIT_ASSERT_EQUAL(expected, described(*b));
    }

    void pcLogoffWithAnotherPcLeftSendsNothing()
    {
        // Step 1 needs no PC login left; step 2 is suppressed while one is left.
        Harness h;
        auto a = h.attach(1), b = h.attach(2);
        h.route(*a, tttest::statusUpdate(100, kOnline, kWindows) + tttest::statusUpdate(100, kOnline, kWindows));
        h.route(*b, tttest::statusUpdate(100, kOnline, kMac));
        a->clear(), b->clear();
        const auto before = h.counters.notificationsSent.load();
        h.route(*a, tttest::statusUpdate(100, kOffline, kWindows)); // one of two on this connection
        h.route(*a, tttest::statusUpdate(100, kOffline, kWindows)); // Mac on b left
        CPPUNIT_ASSERT(!a->received());
        CPPUNIT_ASSERT(!b->received());
        CPPUNIT_ASSERT_EQUAL(before, h.counters.notificationsSent.load());
        CPPUNIT_ASSERT_EQUAL(std::string("100=1"), h.statusOf(*a, {100}));
    }

    void lastPcLogoffWithMobileLeft()
    {
        Harness h;
        auto a = h.attach(1), b = h.attach(2);
        h.route(*a, tttest::statusUpdate(100, kOnline, kWindows));
        h.route(*b, tttest::statusUpdate(100, kOnline, kAndroid));
        a->clear(), b->clear();
        const auto before = h.counters.notificationsSent.load();
        h.route(*a, tttest::statusUpdate(100, kOffline, kWindows));
        const std::string expected = joined({loginNotify(100, 0), buddyNotify(100, kOffline)});
        CPPUNIT_ASSERT_EQUAL(expected, described(*a));
        CPPUNIT_ASSERT_EQUAL(expected, described(*b));
        CPPUNIT_ASSERT_EQUAL(before + 2, h.counters.notificationsSent.load());
        CPPUNIT_ASSERT_EQUAL(std::string("100=2"), h.statusOf(*a, {100}));
    }

    void lastPcLogoffWithNothingLeft()
    {
        Harness h;
        auto a = h.attach(1), b = h.attach(2);
        h.route(*a, tttest::statusUpdate(100, kOnline, kMac));
        a->clear(), b->clear();
        const auto before = h.counters.notificationsSent.load();
        h.route(*a, tttest::statusUpdate(100, kOffline, kMac));
        const std::string expected = buddyNotify(100, kOffline);
        CPPUNIT_ASSERT_EQUAL(expected, described(*a));
        CPPUNIT_ASSERT_EQUAL(expected, described(*b));
        CPPUNIT_ASSERT_EQUAL(before + 1, h.counters.notificationsSent.load());
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), h.presence.userCount());
    }

    void mobileLoginWithoutPc()
    {
        Harness h;
        auto a = h.attach(1), b = h.attach(2);
        h.route(*a, tttest::statusUpdate(100, kOnline, kIos));
        h.route(*b, tttest::statusUpdate(100, kOnline, kAndroid));
        CPPUNIT_ASSERT(!a->received());
        CPPUNIT_ASSERT(!b->received());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), h.counters.notificationsSent.load());
        CPPUNIT_ASSERT_EQUAL(std::string("100=2"), h.statusOf(*a, {100}));
    }

    void mobileLoginWithPcOnline()
    {
        Harness h;
        auto a = h.attach(1), b = h.attach(2);
        h.route(*a, tttest::statusUpdate(100, kOnline, kWindows));
        a->clear(), b->clear();
        h.route(*b, tttest::statusUpdate(100, kOnline, kIos));
        CPPUNIT_ASSERT_EQUAL(loginNotify(100, 1), described(*a));
        CPPUNIT_ASSERT_EQUAL(loginNotify(100, 1), described(*b));
    }

    void mobileLogoff()
    {
        Harness h;
        auto a = h.attach(1), b = h.attach(2);
        // With a PC online elsewhere.
        h.route(*a, tttest::statusUpdate(100, kOnline, kWindows));
        h.route(*b, tttest::statusUpdate(100, kOnline, kIos));
        // Mobile only.
        h.route(*b, tttest::statusUpdate(200, kOnline, kAndroid) + tttest::statusUpdate(200, kOnline, kIos));
        a->clear(), b->clear();
        const auto before = h.counters.notificationsSent.load();
        h.route(*b, tttest::statusUpdate(100, kOffline, kIos));
        h.route(*b, tttest::statusUpdate(200, kOffline, kAndroid));
        h.route(*b, tttest::statusUpdate(200, kOffline, kIos));
        h.route(*b, tttest::statusUpdate(300, kOffline, kIos)); // unknown user
        CPPUNIT_ASSERT(!a->received());
        CPPUNIT_ASSERT(!b->received());
        CPPUNIT_ASSERT_EQUAL(before, h.counters.notificationsSent.load());
        CPPUNIT_ASSERT_EQUAL(std::string("100=1 200=2"), h.statusOf(*a, {100, 200}));
        CPPUNIT_ASSERT(h.presence.loginsOf(200).empty());
    }

    void leaveStatus()
    {
        Harness h;
        auto a = h.attach(1), b = h.attach(2);
        h.route(*a, tttest::statusUpdate(100, kLeave, kWindows));
        const std::string pcLeave = joined({loginNotify(100, 1), buddyNotify(100, kLeave)});
        CPPUNIT_ASSERT_EQUAL(pcLeave, described(*a));
        CPPUNIT_ASSERT_EQUAL(pcLeave, described(*b));
        CPPUNIT_ASSERT_EQUAL(std::string("100=1"), h.statusOf(*b, {100}));
        a->clear(), b->clear();

        // Mobile LEAVE: a login like any other, notified only because a PC is on.
        h.route(*b, tttest::statusUpdate(100, kLeave, kIos));
        CPPUNIT_ASSERT_EQUAL(loginNotify(100, 1), described(*a));
        CPPUNIT_ASSERT_EQUAL(loginNotify(100, 1), described(*b));
        a->clear(), b->clear();
        h.route(*b, tttest::statusUpdate(300, kLeave, kAndroid));
        CPPUNIT_ASSERT(!a->received());
        CPPUNIT_ASSERT(!b->received());

        // LEAVE counted as a login: one OFFLINE releases it.
        h.route(*a, tttest::statusUpdate(100, kOffline, kWindows));
        CPPUNIT_ASSERT_EQUAL(joined({loginNotify(100, 0), buddyNotify(100, kOffline)}), described(*a));
    }

    void pcOfflineForUnknownUser()
    {
        Harness h;
        auto a = h.attach(1), b = h.attach(2);
        h.route(*a, tttest::statusUpdate(100, kOffline, kWindows));
        CPPUNIT_ASSERT_EQUAL(buddyNotify(100, kOffline), described(*a));
        CPPUNIT_ASSERT_EQUAL(buddyNotify(100, kOffline), described(*b));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), h.presence.userCount());
    }

    void pcOfflineFromPeerNotHostingUser()
    {
        Harness h;
        auto a = h.attach(1), b = h.attach(2);
        h.route(*a, tttest::statusUpdate(100, kOnline, kWindows));
        h.route(*a, tttest::statusUpdate(200, kOnline, kIos));
        a->clear(), b->clear();
        // b hosts neither: presence does not change. 100 still has a PC login: nothing to say.
        h.route(*b, tttest::statusUpdate(100, kOffline, kWindows));
        CPPUNIT_ASSERT(!a->received());
        CPPUNIT_ASSERT(!b->received());
        // 200 is known (mobile) with no PC anywhere: §5 step 1 and 2 both apply as written.
        h.route(*b, tttest::statusUpdate(200, kOffline, kMac));
        const std::string expected = joined({loginNotify(200, 0), buddyNotify(200, kOffline)});
        CPPUNIT_ASSERT_EQUAL(expected, described(*a));
        CPPUNIT_ASSERT_EQUAL(expected, described(*b));
        CPPUNIT_ASSERT_EQUAL(std::string("100=1 200=2"), h.statusOf(*a, {100, 200}));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), h.presence.loginsOf(200).size());
    }

    void statusUpdatesOfOneReadNotifyInOrder()
    {
        Harness h;
        auto a = h.attach(1), b = h.attach(2);
        h.route(*a, tttest::statusUpdate(1, kOnline, kWindows) + tttest::statusUpdate(2, kOnline, kIos) +
                        tttest::statusUpdate(2, kOnline, kMac) + tttest::statusUpdate(1, kOffline, kWindows) +
                        tttest::statusUpdate(2, kOffline, kMac));
        const std::string expected = joined({loginNotify(1, 1), buddyNotify(1, kOnline), loginNotify(2, 1), buddyNotify(2, kOnline),
                                             buddyNotify(1, kOffline), loginNotify(2, 0), buddyNotify(2, kOffline)});
        CPPUNIT_ASSERT_EQUAL(expected, described(*a));
        CPPUNIT_ASSERT_EQUAL(expected, described(*b));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(7), h.counters.notificationsSent.load());
    }

    void manyStatusUpdatesInOneRead()
    {
        // Enough notifications for several generated blocks; order and count must survive the split.
        Harness h;
        auto a = h.attach(1), b = h.attach(2, true);
        constexpr std::uint32_t kUsers = 12000;
        std::string stream;
        for (std::uint32_t user = 1; user <= kUsers; ++user)
            stream += tttest::statusUpdate(user, kOnline, kWindows);
        h.route(*a, stream);
        for (auto* peer : {a.get(), b.get()})
        {
            const auto frames = peer->frames();
            CPPUNIT_ASSERT_EQUAL(std::size_t(2 * kUsers), frames.size());
            for (std::uint32_t user = 1; user <= kUsers; ++user)
            {
                if (describeFrame(frames[2 * (user - 1)]) != loginNotify(user, 1) ||
                    describeFrame(frames[2 * (user - 1) + 1]) != buddyNotify(user, kOnline))
                    CPPUNIT_FAIL(peer->description() + ": notifications for user " + std::to_string(user) + " are " +
                                 describeFrame(frames[2 * (user - 1)]) + ", " + describeFrame(frames[2 * (user - 1) + 1]));
            }
        }
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(2 * kUsers), h.counters.notificationsSent.load());
        CPPUNIT_ASSERT_EQUAL(std::size_t(kUsers), h.presence.userCount());
    }

    void invalidUserStatusIsDropped()
    {
        Harness h;
        auto a = h.attach(1), b = h.attach(2);
        const std::string relay = relayFrame(0x0301, 1);
        h.route(*a, tttest::statusUpdate(100, 7, kWindows) + tttest::statusUpdate(101, 0, kWindows) + relay +
                        tttest::statusRequest(4, 9, {100, 101}));
        CPPUNIT_ASSERT(relay == b->bytes());
        CPPUNIT_ASSERT_EQUAL(std::string("2/020b seq=4 user=9 [ 100=2 101=2 ]"), described(*a));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), h.presence.userCount());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), h.counters.bodiesDropped.load());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), h.counters.notificationsSent.load());
    }

    void unparsableStatusUpdateIsDropped()
    {
        Harness h;
        auto a = h.attach(1), b = h.attach(2);
        IM::Server::IMUserStatusUpdate partial; // no client_type: a required field missing
        partial.set_user_id(100);
        partial.set_user_status(kOnline);
        const std::string bad = tttest::makeRawFrame(7, 0x070a, 0, std::string("\x08\xFF", 2)) +        // truncated varint
                                tttest::makeRawFrame(7, 0x070a, 0, "") +                                   // nothing at all
                                tttest::makeRawFrame(7, 0x070a, 0, partial.SerializePartialAsString()) +   // incomplete
                                tttest::makeRawFrame(7, 0x070a, 0, tttest::statusUpdate(100, kOnline, kWindows).substr(16, 3)) + // cut short
                                // client_type 5 is no ClientType: the required enum field reads as missing.
                                tttest::makeRawFrame(7, 0x070a, 0, std::string("\x08\x01\x10\x64\x18\x05", 6));
        const std::string good = tttest::statusUpdate(200, kOnline, kWindows);
        h.route(*a, bad + good);
        const std::string expected = joined({loginNotify(200, 1), buddyNotify(200, kOnline)});
        CPPUNIT_ASSERT_EQUAL(expected, described(*a));
        CPPUNIT_ASSERT_EQUAL(expected, described(*b));
        CPPUNIT_ASSERT(h.presence.loginsOf(100).empty());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(5), h.counters.bodiesDropped.load());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), h.counters.notificationsSent.load());
    }

    void unparsableOnlineUserInfoIsDropped()
    {
        Harness h;
        auto a = h.attach(1), b = h.attach(2);
        IM::Server::IMOnlineUserInfo partial; // one good entry, one without client_type
        auto* good = partial.add_user_stat_list();
        good->set_user_id(100);
        good->set_status(IM::BaseDefine::USER_STATUS_ONLINE);
        good->set_client_type(IM::BaseDefine::CLIENT_TYPE_WINDOWS);
        auto* incomplete = partial.add_user_stat_list();
        incomplete->set_user_id(101);
        incomplete->set_status(IM::BaseDefine::USER_STATUS_ONLINE);
        const std::string relay = relayFrame(0x0304, 3);
        h.route(*a, tttest::makeRawFrame(7, 0x0708, 0, std::string("\x0A\x09\x08", 3)) +
                        tttest::makeRawFrame(7, 0x0708, 0, partial.SerializePartialAsString()) + relay +
                        tttest::statusRequest(2, 9, {100, 101}));
        CPPUNIT_ASSERT(relay == b->bytes());
        CPPUNIT_ASSERT_EQUAL(std::string("2/020b seq=2 user=9 [ 100=2 101=2 ]"), described(*a));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), h.presence.userCount());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), h.counters.bodiesDropped.load());
    }

    void unparsableStatusRequestIsDropped()
    {
        Harness h;
        auto a = h.attach(1), b = h.attach(2);
        IM::Buddy::IMUsersStatReq partial; // no user_id
        partial.add_user_id_list(1);
        h.route(*a, tttest::makeRawFrame(2, 0x020a, 1, "") + tttest::makeRawFrame(2, 0x020a, 2, std::string("\x12\x05\x01", 3)) +
                        tttest::makeRawFrame(2, 0x020a, 3, partial.SerializePartialAsString()) + tttest::statusRequest(4, 9, {1}));
        CPPUNIT_ASSERT_EQUAL(std::string("2/020b seq=4 user=9 [ 1=2 ]"), described(*a));
        CPPUNIT_ASSERT(!b->received());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(3), h.counters.bodiesDropped.load());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), h.counters.statusQueries.load());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(1), h.counters.idsQueried.load());
    }

    void unparsableRoleSetIsDropped()
    {
        Harness h;
        auto a = h.attach(1), b = h.attach(2);
        const std::string relay = relayFrame(0x0601, 8);
        h.route(*a, tttest::makeRawFrame(7, 0x0707, 0, "") + tttest::makeRawFrame(7, 0x0707, 0, "\x08") + relay + tttest::roleSet(true));
        CPPUNIT_ASSERT(relay == b->bytes());
        CPPUNIT_ASSERT(!a->received());
        CPPUNIT_ASSERT(ttroute::PeerRole::Master == a->role());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), h.counters.bodiesDropped.load());
    }

    void onlineUserInfoAppliesEntriesSilently()
    {
        Harness h;
        auto a = h.attach(1), b = h.attach(2);
        h.route(*a, tttest::onlineUserInfo({{1, kOnline, kWindows},
                                            {2, kOnline, kIos},
                                            {3, kLeave, kMac},
                                            {4, kOnline, kWindows},
                                            {4, kOnline, kWindows},
                                            {4, kOffline, kWindows},
                                            {5, kOffline, kWindows},
                                            {6, kOnline, kAndroid},
                                            {6, kOnline, kWindows}}));
        CPPUNIT_ASSERT(!a->received());
        CPPUNIT_ASSERT(!b->received());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), h.counters.notificationsSent.load());
        CPPUNIT_ASSERT_EQUAL(std::string("1=1 2=2 3=1 4=1 5=2 6=1"), h.statusOf(*b, {1, 2, 3, 4, 5, 6}));
        const auto logins4 = h.presence.loginsOf(4);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), logins4.size());
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(1), logins4[0].count);
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(1), logins4[0].connection);

        // An empty list is valid and changes nothing.
        h.route(*a, tttest::onlineUserInfo({}));
        CPPUNIT_ASSERT(!a->received());
        CPPUNIT_ASSERT_EQUAL(std::size_t(5), h.presence.userCount());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), h.counters.bodiesDropped.load());
    }

    void onlineUserInfoBelongsToSender()
    {
        Harness h;
        auto a = h.attach(1), b = h.attach(2), c = h.attach(3);
        h.route(*a, tttest::onlineUserInfo({{1, kOnline, kWindows}, {2, kOnline, kWindows}}));
        h.route(*b, tttest::onlineUserInfo({{2, kOnline, kMac}}));
        h.router.detach(*a, false);
        CPPUNIT_ASSERT_EQUAL(std::string("1=2 2=1"), h.statusOf(*c, {1, 2}));
        CPPUNIT_ASSERT(!b->received());
    }

    void onlineUserInfoBetweenRelays()
    {
        Harness h;
        auto a = h.attach(1), b = h.attach(2);
        const std::string r1 = relayFrame(0x0301, 1), r2 = relayFrame(0x0301, 2);
        h.route(*a, r1 + tttest::onlineUserInfo({{7, kOnline, kWindows}}) + r2 + tttest::statusRequest(3, 9, {7}));
        CPPUNIT_ASSERT(r1 + r2 == b->bytes());
        CPPUNIT_ASSERT_EQUAL(std::string("2/020b seq=3 user=9 [ 7=1 ]"), described(*a));
    }

    void largeOnlineUserInfoAppliesEveryEntryInOrder()
    {
        // Ten thousand entries are applied in several holds of the presence lock: every one
        // counts, in order (user 1's OFFLINE at the end undoes its first entry), and the
        // relays around the frame keep their places.
        Harness h;
        auto a = h.attach(1), b = h.attach(2);
        std::vector<std::vector<std::uint32_t>> entries;
        for (std::uint32_t user = 1; user <= 10000; ++user)
            entries.push_back({user, user % 2 ? kOnline : kOffline, kWindows});
        entries.push_back({1, kOffline, kWindows});
        const std::string r1 = relayFrame(0x0301, 1), r2 = relayFrame(0x0301, 2);
        h.route(*a, r1 + tttest::onlineUserInfo(entries) + r2);
        CPPUNIT_ASSERT(r1 + r2 == b->bytes());
        CPPUNIT_ASSERT_EQUAL(std::size_t(4999), h.presence.userCount());
        CPPUNIT_ASSERT_EQUAL(std::size_t(4999), h.presence.usersHostedBy(1));
        CPPUNIT_ASSERT_EQUAL(std::string("1=2 2=2 3=1 4095=1 4097=1 8193=1 9999=1 10000=2"),
                             h.statusOf(*b, {1, 2, 3, 4095, 4097, 8193, 9999, 10000}));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), h.counters.notificationsSent.load());
    }

    void roleSetRecordsTheRole()
    {
        Harness h;
        auto a = h.attach(1), b = h.attach(2);
        IM::Server::IMRoleSet odd;
        odd.set_master(5);
        CPPUNIT_ASSERT(ttroute::PeerRole::Unknown == a->role());
        h.route(*a, tttest::roleSet(true));
        CPPUNIT_ASSERT(ttroute::PeerRole::Master == a->role());
        h.route(*a, tttest::roleSet(false));
        CPPUNIT_ASSERT(ttroute::PeerRole::Slave == a->role());
        h.route(*a, tttest::makeFrame(7, 0x0707, 0, odd));
        CPPUNIT_ASSERT(ttroute::PeerRole::Master == a->role());
        h.route(*b, tttest::roleSet(false));
        CPPUNIT_ASSERT(ttroute::PeerRole::Slave == b->role());
        CPPUNIT_ASSERT(!a->received());
        CPPUNIT_ASSERT(!b->received());
        // Routing does not change with the role.
        const std::string relay = relayFrame(0x0301, 1);
        h.route(*b, relay);
        CPPUNIT_ASSERT(relay == a->bytes());
        CPPUNIT_ASSERT(!b->received());
        CPPUNIT_ASSERT_EQUAL(0, a->closeCalls() + b->closeCalls());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), h.counters.framesIgnored.load());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), h.counters.bodiesDropped.load());
    }

    void readOrderIsKeptForEveryPeer()
    {
        Harness h;
        auto a = h.attach(1), b = h.attach(2), c = h.attach(3);
        const std::string r1 = relayFrame(0x0301, 1), r2 = relayFrame(0x0508, 2), sign = signInfoChanged(3);
        h.route(*a, r1 + tttest::statusUpdate(100, kOnline, kWindows) + r2 + tttest::statusRequest(9, 5, {100}));
        const std::string relay1 = describeBytes(r1);
        const std::string relay2 = describeBytes(r2);
        const std::string expectedOthers = joined({relay1, loginNotify(100, 1), buddyNotify(100, kOnline), relay2});
        CPPUNIT_ASSERT_EQUAL(expectedOthers, described(*b));
        CPPUNIT_ASSERT_EQUAL(expectedOthers, described(*c));
        CPPUNIT_ASSERT_EQUAL(joined({loginNotify(100, 1), buddyNotify(100, kOnline), "2/020b seq=9 user=5 [ 100=1 ]"}), described(*a));
        // The relayed frames inside the mix are still the exact bytes.
        const auto frames = b->frames();
        CPPUNIT_ASSERT(r1 == frames[0].bytes);
        CPPUNIT_ASSERT(r2 == frames[3].bytes);

        // Requests first, with a relay to everyone and a logoff in the mix.
        a->clear(), b->clear(), c->clear();
        h.route(*a, tttest::statusRequest(10, 5, {100}) + sign + tttest::statusUpdate(100, kOffline, kWindows) + r1 +
                        tttest::statusRequest(11, 5, {100}));
        const std::string signToken = describeBytes(sign);
        CPPUNIT_ASSERT_EQUAL(joined({"2/020b seq=10 user=5 [ 100=1 ]", signToken, buddyNotify(100, kOffline),
                                     "2/020b seq=11 user=5 [ 100=2 ]"}),
                             described(*a));
        CPPUNIT_ASSERT_EQUAL(joined({signToken, buddyNotify(100, kOffline), relay1}), described(*b));
        CPPUNIT_ASSERT_EQUAL(joined({signToken, buddyNotify(100, kOffline), relay1}), described(*c));
    }

    void detachAnnouncesUsersWhoLostLastPcLogin()
    {
        Harness h(announcedAtOnce());
        auto a = h.attach(1), b = h.attach(2), c = h.attach(3);
        h.route(*a, tttest::onlineUserInfo({{1, kOnline, kWindows},   // PC only here: buddy offline
                                            {2, kOnline, kWindows},   // PC here, mobile on b: login 0 + buddy offline
                                            {3, kOnline, kWindows},   // PC here and on b: nothing
                                            {4, kOnline, kAndroid},   // mobile only here: nothing
                                            {5, kOnline, kMac},       // PC and mobile here: buddy offline
                                            {5, kOnline, kIos},
                                            {6, kLeave, kWindows}})); // LEAVE on a PC, mobile on c: login 0 + buddy offline
        h.route(*b, tttest::onlineUserInfo({{2, kOnline, kIos}, {3, kOnline, kMac}, {7, kOnline, kWindows}}));
        h.route(*c, tttest::onlineUserInfo({{6, kOnline, kAndroid}}));
        const auto before = h.counters.notificationsSent.load();
        h.router.detach(*a, true);

        CPPUNIT_ASSERT(!a->received());
        for (auto* peer : {b.get(), c.get()})
        {
            std::map<std::uint32_t, std::vector<std::string>> perUser;
            for (const auto& frame : peer->frames())
            {
                const std::string token = describeFrame(frame);
                std::uint32_t user = 0;
                if (frame.commandId == 0x070e)
                {
                    IM::Server::IMServerPCLoginStatusNotify notify;
                    frame.parse(notify);
                    user = notify.user_id();
                }
                else
                {
                    IM::Buddy::IMUserStatNotify notify;
                    frame.parse(notify);
                    user = notify.user_stat().user_id();
                }
                perUser[user].push_back(token);
            }
            // Users may come in any order; each one's own notifications in §5 order.
            const std::map<std::uint32_t, std::vector<std::string>> expected = {
                {1, {buddyNotify(1, kOffline)}},
                {2, {loginNotify(2, 0), buddyNotify(2, kOffline)}},
                {5, {buddyNotify(5, kOffline)}},
                {6, {loginNotify(6, 0), buddyNotify(6, kOffline)}},
            };
            std::string actual;
            for (const auto& [user, tokens] : perUser)
                actual += std::to_string(user) + ": " + joined(tokens) + "\n";
            std::string wanted;
            for (const auto& [user, tokens] : expected)
                wanted += std::to_string(user) + ": " + joined(tokens) + "\n";
            CPPUNIT_ASSERT_EQUAL_MESSAGE(peer->description(), wanted, actual);
        }
        CPPUNIT_ASSERT_EQUAL(before + 6, h.counters.notificationsSent.load());
        CPPUNIT_ASSERT_EQUAL(std::string("1=2 2=2 3=1 4=2 5=2 6=2 7=1"), h.statusOf(*b, {1, 2, 3, 4, 5, 6, 7}));
        CPPUNIT_ASSERT(h.presence.loginsOf(1).empty());
        CPPUNIT_ASSERT(h.presence.loginsOf(4).empty());
        CPPUNIT_ASSERT(h.presence.loginsOf(5).empty());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), h.presence.loginsOf(2).size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), h.presence.loginsOf(6).size());
    }

    void detachWithoutAnnounceRemovesPresenceSilently()
    {
        Harness h;
        auto a = h.attach(1), b = h.attach(2);
        h.route(*a, tttest::onlineUserInfo({{1, kOnline, kWindows}, {2, kOnline, kWindows}}));
        h.route(*b, tttest::onlineUserInfo({{2, kOnline, kIos}}));
        const auto before = h.counters.notificationsSent.load();
        h.router.detach(*a, false);
        CPPUNIT_ASSERT(!a->received());
        CPPUNIT_ASSERT(!b->received());
        CPPUNIT_ASSERT_EQUAL(before, h.counters.notificationsSent.load());
        CPPUNIT_ASSERT_EQUAL(std::string("1=2 2=2"), h.statusOf(*b, {1, 2}));
        CPPUNIT_ASSERT(h.presence.loginsOf(1).empty());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), h.presence.loginsOf(2).size());
    }

    void detachOfPeerWithoutUsers()
    {
        Harness h(announcedAtOnce());
        auto a = h.attach(1), b = h.attach(2);
        h.route(*b, tttest::onlineUserInfo({{1, kOnline, kWindows}}));
        h.router.detach(*a, true);
        CPPUNIT_ASSERT(!a->received());
        CPPUNIT_ASSERT(!b->received());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(0), h.counters.notificationsSent.load());
        CPPUNIT_ASSERT_EQUAL(std::string("1=1"), h.statusOf(*b, {1}));
    }

    void detachOfPeerWithOneUser()
    {
        Harness h(announcedAtOnce());
        auto a = h.attach(1), b = h.attach(2);
        h.route(*a, tttest::statusUpdate(1, kOnline, kWindows));
        b->clear();
        h.router.detach(*a, true);
        CPPUNIT_ASSERT_EQUAL(buddyNotify(1, kOffline), described(*b));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(3), h.counters.notificationsSent.load());
    }

    void detachedPeerReceivesNothingMore()
    {
        Harness h(announcedAtOnce());
        auto a = h.attach(1), b = h.attach(2), c = h.attach(3);
        h.router.detach(*c, true);
        const std::string relay = relayFrame(0x0301, 1), sign = signInfoChanged(2);
        h.route(*a, relay + sign + tttest::statusUpdate(5, kOnline, kWindows));
        CPPUNIT_ASSERT(!c->received());
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), b->frames().size()); // relay, sign, login and buddy notifications
        // Its presence went with it, and a peer attached later receives from then on.
        auto d = h.attach(4);
        h.route(*a, relay);
        CPPUNIT_ASSERT(relay == d->bytes());
        CPPUNIT_ASSERT(!c->received());
    }

    void detachOfManyUsers()
    {
        // Enough announcements for several blocks: every user exactly once, to every remaining peer.
        Harness h(announcedAtOnce());
        auto a = h.attach(1), b = h.attach(2), c = h.attach(3, true);
        constexpr std::uint32_t kUsers = 20000;
        std::string stream;
        std::vector<std::vector<std::uint32_t>> entries;
        for (std::uint32_t user = 1; user <= kUsers; ++user)
            entries.push_back({user, kOnline, user % 3 == 0 ? kAndroid : kWindows});
        h.route(*a, tttest::onlineUserInfo(entries));
        std::vector<std::vector<std::uint32_t>> mobiles;
        for (std::uint32_t user = 1; user <= kUsers; user += 7)
            mobiles.push_back({user, kOnline, kIos});
        h.route(*b, tttest::onlineUserInfo(mobiles));
        h.router.detach(*a, true);

        std::uint64_t expectedFrames = 0;
        for (std::uint32_t user = 1; user <= kUsers; ++user)
            if (user % 3 != 0)
                expectedFrames += user % 7 == 1 ? 2 : 1;
        for (auto* peer : {b.get(), c.get()})
        {
            const auto frames = peer->frames();
            CPPUNIT_ASSERT_EQUAL_MESSAGE(peer->description(), std::size_t(expectedFrames), frames.size());
            std::vector<int> buddyOffline(kUsers + 1, 0), loginOff(kUsers + 1, 0);
            for (std::size_t i = 0; i < frames.size(); ++i)
            {
                if (frames[i].commandId == 0x070e)
                {
                    IM::Server::IMServerPCLoginStatusNotify notify;
                    CPPUNIT_ASSERT(frames[i].parse(notify));
                    CPPUNIT_ASSERT_EQUAL(std::uint32_t(0), notify.login_status());
                    ++loginOff.at(notify.user_id());
                    // The buddy notification for the same user follows at once.
                    CPPUNIT_ASSERT(i + 1 < frames.size());
                    CPPUNIT_ASSERT_EQUAL(buddyNotify(notify.user_id(), kOffline), describeFrame(frames[i + 1]));
                    continue;
                }
                IM::Buddy::IMUserStatNotify notify;
                CPPUNIT_ASSERT(frames[i].parse(notify));
                CPPUNIT_ASSERT_EQUAL(std::uint16_t(0x0203), frames[i].commandId);
                CPPUNIT_ASSERT_EQUAL(std::uint32_t(kOffline), std::uint32_t(notify.user_stat().status()));
                ++buddyOffline.at(notify.user_stat().user_id());
            }
            for (std::uint32_t user = 1; user <= kUsers; ++user)
            {
                const bool lost = user % 3 != 0;
                const bool stillKnown = lost && user % 7 == 1;
                if (buddyOffline[user] != (lost ? 1 : 0) || loginOff[user] != (stillKnown ? 1 : 0))
                    CPPUNIT_FAIL(peer->description() + ": user " + std::to_string(user) + " announced " +
                                 std::to_string(buddyOffline[user]) + " buddy / " + std::to_string(loginOff[user]) + " login notifications");
            }
        }
        CPPUNIT_ASSERT_EQUAL(expectedFrames, h.counters.notificationsSent.load());
        CPPUNIT_ASSERT_EQUAL(mobiles.size(), h.presence.userCount());
    }

    void countersAdvanceByExactAmounts()
    {
        Harness h(announcedAtOnce());
        auto a = h.attach(1), b = h.attach(2), c = h.attach(3);
        const CounterSnapshot start(h.counters);
        const std::string stream = relayFrame(0x0301, 1) + relayFrame(0x0601, 2) + signInfoChanged(3) + // 3 relayed
                                   tttest::heartbeat() +                                                  // nothing
                                   tttest::makeRawFrame(2, 0x0203, 0, "") +                               // ignored
                                   tttest::makeRawFrame(7, 0x0777, 0, "zz") +                             // ignored
                                   tttest::statusUpdate(10, kOnline, kWindows) +                          // 2 notifications
                                   tttest::statusUpdate(11, kOnline, kIos) +                              // none
                                   tttest::statusUpdate(12, 9, kWindows) +                                // dropped
                                   tttest::makeRawFrame(7, 0x0707, 0, "") +                               // dropped
                                   tttest::roleSet(true) +                                                // nothing counted
                                   tttest::onlineUserInfo({{13, kOnline, kMac}}) +                        // none
                                   tttest::statusRequest(1, 1, {10, 11, 12, 13}) +                        // 1 query, 4 ids
                                   tttest::statusRequest(2, 1, {}) +                                      // 1 query, 0 ids
                                   tttest::statusUpdate(10, kOffline, kWindows);                          // 1 notification
        h.route(*a, stream);
        const CounterSnapshot end(h.counters);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(15), end.framesReceived - start.framesReceived);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(stream.size()), end.bytesReceived - start.bytesReceived);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(3), end.framesRelayed - start.framesRelayed);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), end.framesIgnored - start.framesIgnored);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), end.bodiesDropped - start.bodiesDropped);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), end.statusQueries - start.statusQueries);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(4), end.idsQueried - start.idsQueried);
        // Counted once per frame built, not once per peer it goes to.
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(3), end.notificationsSent - start.notificationsSent);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3 + 3), b->frames().size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1 + 3 + 2), a->frames().size());

        // Detach: the announcements count too, once each.
        h.route(*c, tttest::statusUpdate(20, kOnline, kWindows) + tttest::statusUpdate(21, kOnline, kMac));
        const CounterSnapshot beforeDetach(h.counters);
        h.router.detach(*c, true);
        const CounterSnapshot afterDetach(h.counters);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), afterDetach.notificationsSent - beforeDetach.notificationsSent);
        CPPUNIT_ASSERT_EQUAL(beforeDetach.framesReceived, afterDetach.framesReceived);
        CPPUNIT_ASSERT_EQUAL(beforeDetach.framesRelayed, afterDetach.framesRelayed);
    }

    void everyPeerSeesNotificationsInTheSameOrder()
    {
        // Router.h: status changes reach every msg server in the order they were applied,
        // even when several connections route at once.
        Harness h;
        constexpr int kSenders = 4;
        constexpr std::uint32_t kRounds = 300;
        std::vector<std::shared_ptr<RecordingPeer>> peers;
        for (int i = 0; i < kSenders; ++i)
            peers.push_back(h.attach(static_cast<ConnectionId>(i + 1)));
        std::vector<std::thread> threads;
        for (int i = 0; i < kSenders; ++i)
            threads.emplace_back([&h, &peers, i] {
                for (std::uint32_t round = 0; round < kRounds; ++round)
                {
                    const std::uint32_t user = static_cast<std::uint32_t>(i) * 100000 + round;
                    h.route(*peers[static_cast<std::size_t>(i)],
                            tttest::statusUpdate(user, kOnline, kWindows) + tttest::statusUpdate(user, kOffline, kWindows));
                }
            });
        for (auto& thread : threads)
            thread.join();
        const auto reference = tokens(*peers[0]);
        CPPUNIT_ASSERT_EQUAL(std::size_t(kSenders * kRounds * 3), reference.size());
        for (const auto& peer : peers)
            CPPUNIT_ASSERT_MESSAGE(peer->description(), reference == tokens(*peer));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(kSenders * kRounds * 3), h.counters.notificationsSent.load());
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), h.presence.userCount());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RouterTest);
