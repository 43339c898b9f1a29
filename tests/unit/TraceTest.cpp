// The pieces of per-user tracing without sockets: which users a PDU concerns and what its
// trace line shows of it (PduSummary, never the content), the traces running and where their
// lines go (Tracer, TraceSubscription), and a trace streamed to a client (TraceStream).
#include "LogLines.h"
#include "ProtocolConstants.h"
#include "RelayedFrames.h"
#include "WireFrames.h"

#include "admin/TraceStream.h"
#include "routing/Tracer.h"
#include "wire/Frame.h"
#include "wire/PduSummary.h"

#include <Poco/AutoPtr.h>
#include <Poco/Channel.h>
#include <Poco/Logger.h>
#include <Poco/Message.h>

#include <cppunit/extensions/HelperMacros.h>

#include <mutex>
#include <thread>

using ttroute::PduSummary;
using ttroute::Tracer;
using ttroute::TraceSubscription;
using namespace tttest::protocol;
using namespace std::chrono_literals;

namespace
{

using Users = std::vector<std::uint32_t>;

/// A PDU built by the test helpers, as the router sees it.
class Pdu
{
public:
    explicit Pdu(std::string bytes)
        : bytes_(std::move(bytes))
    {
    }

    ttroute::FrameView view() const { return {ttroute::readFrameHeader(bytes_.data()), bytes_.data()}; }

private:
    std::string bytes_;
};

PduSummary summary(const std::string& frame, const Users& followed)
{
    static std::vector<std::unique_ptr<Pdu>> pdus; // a summary reads its PDU again for ids()
    pdus.push_back(std::make_unique<Pdu>(frame));
    return PduSummary(pdus.back()->view(), followed);
}

/// Remembers the text of every message logged to it.
class RecordingChannel : public Poco::Channel
{
public:
    void log(const Poco::Message& message) override
    {
        std::lock_guard lock(mutex_);
        lines_.push_back(message.getText());
    }

    std::vector<std::string> lines() const
    {
        std::lock_guard lock(mutex_);
        return lines_;
    }

private:
    mutable std::mutex mutex_;
    std::vector<std::string> lines_;
};

/// What an admin client received of a stream.
class CollectingStream : public tthost::AdminStream
{
public:
    bool write(const std::string& text) override
    {
        received += text;
        return open();
    }
    bool open() override { return !gone; }

    std::string received;
    bool gone = false;
};

} // namespace

class TraceTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(TraceTest);
    CPPUNIT_TEST(oneToOnePdusConcernSenderAndAddressee);
    CPPUNIT_TEST(quickLookRulesOutOnlyPdusOfOtherUsers);
    CPPUNIT_TEST(groupMessagesConcernTheirSenderOnly);
    CPPUNIT_TEST(presencePdusConcernTheirUsers);
    CPPUNIT_TEST(statusQueriesConcernAskerAndAskedInEitherEncoding);
    CPPUNIT_TEST(groupChangesConcernEveryMemberNamed);
    CPPUNIT_TEST(contentNeverShows);
    CPPUNIT_TEST(malformedBodiesGiveWhatWasRead);
    CPPUNIT_TEST(unfollowedUsersAndUnroutedCommandsConcernNobody);
    CPPUNIT_TEST(tracerIsActiveExactlyWhileATraceRuns);
    CPPUNIT_TEST(linesGoToTheTracesThatFollowTheirUsersAndToTheLog);
    CPPUNIT_TEST(tracesAreCappedInUsersAndLength);
    CPPUNIT_TEST(aSlowReaderLosesLinesCountedNotMemory);
    CPPUNIT_TEST(takeWaitsForLinesOrTheDeadline);
    CPPUNIT_TEST(streamSaysWhatItFollowsThenLinesThenWhyItEnded);
    CPPUNIT_TEST(eventStreamFramesEveryLine);
    CPPUNIT_TEST(streamEndsWhenTheClientGoes);
    CPPUNIT_TEST_SUITE_END();

public:
    void oneToOnePdusConcernSenderAndAddressee()
    {
        const Users followed{10, 20};
        const PduSummary msg = summary(tttest::msgData(10, 20, 7, "hello"), followed);
        CPPUNIT_ASSERT(Users({10, 20}) == msg.followedUsers());
        CPPUNIT_ASSERT_EQUAL(std::string("from 10 to 20 msg_id 7"), msg.ids());
        CPPUNIT_ASSERT(Users({20}) == summary(tttest::msgData(5, 20, 1, "x"), followed).followedUsers());
        const PduSummary p2p = summary(tttest::p2p(20, 30, 1), followed);
        CPPUNIT_ASSERT(Users({20}) == p2p.followedUsers());
        CPPUNIT_ASSERT_EQUAL(std::string("from 20 to 30"), p2p.ids());
        CPPUNIT_ASSERT(Users({10}) == summary(tttest::fileNotify(1, 10, 1), followed).followedUsers());
        const PduSummary read = summary(tttest::readNotify(10, 20, 9), followed);
        CPPUNIT_ASSERT(Users({10, 20}) == read.followedUsers());
        CPPUNIT_ASSERT_EQUAL(std::string("user 10 session user 20 msg_id 9"), read.ids());
        const PduSummary kick = summary(tttest::kickUser(20, kAndroid, 3), followed);
        CPPUNIT_ASSERT(Users({20}) == kick.followedUsers());
        CPPUNIT_ASSERT_EQUAL(std::string("user 20 android reason 3"), kick.ids());
        CPPUNIT_ASSERT(Users({10, 20}) == summary(tttest::removeSession(10, 20), followed).followedUsers());
        CPPUNIT_ASSERT(Users({10}) == summary(tttest::signInfo(10, 1), followed).followedUsers());
    }

    /// The quick look a trace takes at every PDU says "no" only when the summary would find no
    /// followed user, so it never loses a line.
    void quickLookRulesOutOnlyPdusOfOtherUsers()
    {
        const Users followed{10, 20};
        const std::vector<std::string> pdus{tttest::msgData(10, 30, 1, "x"), tttest::msgData(30, 20, 1, "x"), tttest::msgData(30, 40, 1, "x"),
                                            tttest::p2p(30, 20, 1),          tttest::p2p(30, 40, 1),          tttest::fileNotify(20, 30, 1),
                                            tttest::fileNotify(30, 40, 1),   tttest::readNotify(30, 10, 9),   tttest::readNotify(30, 40, 9),
                                            tttest::kickUser(30, kAndroid, 3), tttest::signInfo(10, 1),      tttest::statusUpdate(40, kOnline, kMac)};
        for (const std::string& bytes : pdus)
        {
            const Pdu pdu(bytes);
            const bool concerned = !PduSummary(pdu.view(), followed).followedUsers().empty();
            CPPUNIT_ASSERT(!concerned || PduSummary::mayConcern(pdu.view(), followed));
        }
        CPPUNIT_ASSERT(!PduSummary::mayConcern(Pdu(tttest::msgData(30, 40, 1, "x")).view(), followed));
        CPPUNIT_ASSERT(!PduSummary::mayConcern(Pdu(tttest::readNotify(30, 40, 9)).view(), followed));
        CPPUNIT_ASSERT(PduSummary::mayConcern(Pdu(tttest::msgData(30, 20, 1, "x")).view(), followed));
        CPPUNIT_ASSERT(!PduSummary::mayConcern(Pdu(tttest::msgData(30, 40, 1, "x")).view(), {}));
    }

    void groupMessagesConcernTheirSenderOnly()
    {
        // A group message's to_session_id is a group's id, whatever users share the number.
        const std::uint32_t groupText = 0x11;
        const PduSummary group = summary(tttest::msgData(5, 10, 3, "hi all", groupText), {10});
        CPPUNIT_ASSERT(group.followedUsers().empty());
        CPPUNIT_ASSERT_EQUAL(std::string("from 5 to group 10 msg_id 3"), group.ids());
        CPPUNIT_ASSERT(Users({5}) == summary(tttest::msgData(5, 10, 3, "hi all", groupText), {5}).followedUsers());
    }

    void presencePdusConcernTheirUsers()
    {
        const PduSummary update = summary(tttest::statusUpdate(10, kOnline, kMac), {10});
        CPPUNIT_ASSERT(Users({10}) == update.followedUsers());
        CPPUNIT_ASSERT_EQUAL(std::string("user 10 online mac"), update.ids());
        const PduSummary info =
            summary(tttest::onlineUserInfo({{1, kOnline, kWindows}, {10, kLeave, kIos}, {2, kOnline, kWindows}, {20, kOffline, kWindows}}), {10, 20, 30});
        CPPUNIT_ASSERT(Users({10, 20}) == info.followedUsers());
        CPPUNIT_ASSERT_EQUAL(std::string("4 entries, user 10 leave ios, user 20 offline windows"), info.ids());
    }

    void statusQueriesConcernAskerAndAskedInEitherEncoding()
    {
        const PduSummary query = summary(tttest::statusRequest(1, 5, {1, 2, 10, 3}), {10});
        CPPUNIT_ASSERT(Users({10}) == query.followedUsers());
        CPPUNIT_ASSERT_EQUAL(std::string("from 5 asks 4 ids"), query.ids());
        CPPUNIT_ASSERT(Users({5}) == summary(tttest::statusRequest(1, 5, {1}), {5}).followedUsers());
        // user_id = 5 (field 1), then user_id_list [1, 10, 300] packed (field 2, wire type 2).
        const std::string packed = std::string("\x08\x05\x12\x04\x01\x0a\xac\x02", 8);
        const PduSummary fromPacked = summary(tttest::makeRawFrame(2, 0x020a, 1, packed), {300});
        CPPUNIT_ASSERT(Users({300}) == fromPacked.followedUsers());
        CPPUNIT_ASSERT_EQUAL(std::string("from 5 asks 3 ids"), fromPacked.ids());
    }

    void groupChangesConcernEveryMemberNamed()
    {
        const PduSummary change = summary(tttest::groupChange(5, 77, 10), {10});
        CPPUNIT_ASSERT(Users({10}) == change.followedUsers());
        CPPUNIT_ASSERT_EQUAL(std::string("user 5 group 77 adds 1 members"), change.ids());
    }

    void contentNeverShows()
    {
        const PduSummary msg = summary(tttest::msgData(10, 20, 7, "the secret words"), {10});
        CPPUNIT_ASSERT(msg.ids().find("secret") == std::string::npos);
        const PduSummary sign = summary(tttest::signInfo(10, 42), {10});
        CPPUNIT_ASSERT(sign.ids().find("signature") == std::string::npos);
        const PduSummary file = summary(tttest::fileNotify(10, 20, 1), {10});
        CPPUNIT_ASSERT_EQUAL(std::string("from 10 to 20"), file.ids());
    }

    void malformedBodiesGiveWhatWasRead()
    {
        // from_user_id = 10, then a length-delimited field whose length runs past the end.
        const std::string broken = std::string("\x08\x0a\x32\x7f", 4);
        const PduSummary msg = summary(tttest::makeRawFrame(3, kMsgData, 0, broken), {10});
        CPPUNIT_ASSERT(Users({10}) == msg.followedUsers());
        CPPUNIT_ASSERT(summary(tttest::makeRawFrame(3, kMsgData, 0, std::string("\xff\xff\xff", 3)), {10}).followedUsers().empty());
        CPPUNIT_ASSERT(summary(tttest::makeRawFrame(3, kMsgData, 0, ""), {10}).followedUsers().empty());
    }

    void unfollowedUsersAndUnroutedCommandsConcernNobody()
    {
        CPPUNIT_ASSERT(summary(tttest::msgData(1, 2, 3, "x"), {10}).followedUsers().empty());
        CPPUNIT_ASSERT(summary(tttest::msgData(1, 2, 3, "x"), {}).followedUsers().empty());
        const PduSummary heartbeat = summary(tttest::heartbeat(), {0});
        CPPUNIT_ASSERT(heartbeat.followedUsers().empty());
        CPPUNIT_ASSERT(heartbeat.ids().empty());
        CPPUNIT_ASSERT(summary(tttest::makeRawFrame(9, 0x0999, 0, std::string("\x08\x0a", 2)), {10}).followedUsers().empty());
    }

    void tracerIsActiveExactlyWhileATraceRuns()
    {
        Tracer tracer(quietLog());
        CPPUNIT_ASSERT(!tracer.active());
        CPPUNIT_ASSERT(tracer.followed()->empty());
        auto first = tracer.start({30, 10, 10}, 1min);
        auto second = tracer.start({20, 10}, 1min);
        CPPUNIT_ASSERT(tracer.active());
        CPPUNIT_ASSERT(Users({10, 30}) == first->users());
        CPPUNIT_ASSERT(Users({10, 20, 30}) == *tracer.followed());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), tracer.running().size());
        first.reset();
        CPPUNIT_ASSERT(tracer.active());
        CPPUNIT_ASSERT(Users({10, 20}) == *tracer.followed());
        second.reset();
        CPPUNIT_ASSERT(!tracer.active());
        CPPUNIT_ASSERT(tracer.followed()->empty());
        CPPUNIT_ASSERT(tracer.running().empty());
    }

    void linesGoToTheTracesThatFollowTheirUsersAndToTheLog()
    {
        Poco::AutoPtr<RecordingChannel> channel(new RecordingChannel);
        Poco::Logger& log = Poco::Logger::get("trace-test.lines");
        log.setChannel(channel);
        log.setLevel(Poco::Message::PRIO_INFORMATION);
        Tracer tracer(log);
        auto ten = tracer.start({10}, 1min);
        auto twenty = tracer.start({20}, 1min);
        tracer.publish("about 10", {10});
        tracer.publish("about 10 and 20", {10, 20});
        tracer.publish("about 30", {30});
        std::vector<std::string> lines;
        ten->take(lines, std::chrono::steady_clock::now());
        CPPUNIT_ASSERT(std::vector<std::string>({"about 10", "about 10 and 20"}) == lines);
        lines.clear();
        twenty->take(lines, std::chrono::steady_clock::now());
        CPPUNIT_ASSERT(std::vector<std::string>({"about 10 and 20"}) == lines);
        CPPUNIT_ASSERT(std::vector<std::string>({"about 10", "about 10 and 20", "about 30"}) == channel->lines());
    }

    void tracesAreCappedInUsersAndLength()
    {
        Tracer tracer(quietLog());
        Users many;
        for (std::uint32_t user = 1; user <= 40; ++user)
            many.push_back(user);
        const auto before = std::chrono::system_clock::now();
        auto trace = tracer.start(many, 24h);
        CPPUNIT_ASSERT_EQUAL(Tracer::kMaxUsers, trace->users().size());
        CPPUNIT_ASSERT(trace->untilWall() <= std::chrono::system_clock::now() + Tracer::kMaxLength);
        CPPUNIT_ASSERT(trace->untilWall() >= before + Tracer::kMaxLength);
    }

    void aSlowReaderLosesLinesCountedNotMemory()
    {
        Tracer tracer(quietLog());
        auto trace = tracer.start({10}, 1min);
        const std::size_t extra = 25;
        for (std::size_t i = 0; i < TraceSubscription::kMaxWaitingLines + extra; ++i)
            tracer.publish("line " + std::to_string(i), {10});
        std::vector<std::string> lines;
        CPPUNIT_ASSERT_EQUAL(extra, trace->take(lines, std::chrono::steady_clock::now()));
        CPPUNIT_ASSERT_EQUAL(TraceSubscription::kMaxWaitingLines, lines.size());
        CPPUNIT_ASSERT_EQUAL(std::string("line 0"), lines.front());
        lines.clear();
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), trace->take(lines, std::chrono::steady_clock::now()));
        CPPUNIT_ASSERT(lines.empty());
    }

    void takeWaitsForLinesOrTheDeadline()
    {
        Tracer tracer(quietLog());
        auto trace = tracer.start({10}, 1min);
        std::vector<std::string> lines;
        // Nothing comes: back at the deadline, empty.
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), trace->take(lines, std::chrono::steady_clock::now() + 20ms));
        CPPUNIT_ASSERT(lines.empty());
        // A line from another thread wakes a reader that would wait a minute.
        std::thread publisher([&] { tracer.publish("late", {10}); });
        trace->take(lines, std::chrono::steady_clock::now() + 1min);
        publisher.join();
        CPPUNIT_ASSERT(std::vector<std::string>({"late"}) == lines);
    }

    void streamSaysWhatItFollowsThenLinesThenWhyItEnded()
    {
        Tracer tracer(quietLog());
        auto trace = tracer.start({10, 20}, 300ms);
        tracer.publish("2026-01-01T00:00:00.000Z MSG_DATA from 10 to 20", {10, 20});
        CollectingStream client;
        ttroute::TraceStream(*trace, false, "300ms").follow(client);
        const auto lines = tttest::completeLines(client.received, 0);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(client.received, std::size_t(3), lines.size());
        CPPUNIT_ASSERT(lines[0].rfind("# tracing users 10, 20 for 300ms (until ", 0) == 0);
        CPPUNIT_ASSERT_EQUAL(std::string("2026-01-01T00:00:00.000Z MSG_DATA from 10 to 20"), lines[1]);
        CPPUNIT_ASSERT_EQUAL(std::string("# trace of 10, 20 ended: its 300ms are over"), lines[2]);
    }

    void eventStreamFramesEveryLine()
    {
        Tracer tracer(quietLog());
        auto trace = tracer.start({10}, 200ms);
        tracer.publish("a line", {10});
        CollectingStream client;
        ttroute::TraceStream(*trace, true, "200ms").follow(client);
        CPPUNIT_ASSERT_MESSAGE(client.received, client.received.rfind("data: # tracing user 10 for 200ms", 0) == 0);
        CPPUNIT_ASSERT_MESSAGE(client.received, client.received.find("\n\ndata: a line\n\ndata: # trace of 10 ended") != std::string::npos);
        CPPUNIT_ASSERT(client.received.size() >= 2 && client.received.compare(client.received.size() - 2, 2, "\n\n") == 0);
    }

    void streamEndsWhenTheClientGoes()
    {
        Tracer tracer(quietLog());
        auto trace = tracer.start({10}, 1min);
        CollectingStream client;
        client.gone = true;
        const auto start = std::chrono::steady_clock::now();
        ttroute::TraceStream(*trace, false, "1m").follow(client);
        // Gone at once: it stops at the first write, long before the minute is over.
        CPPUNIT_ASSERT(std::chrono::steady_clock::now() - start < 30s);
        CPPUNIT_ASSERT(tttest::completeLines(client.received, 0).size() <= 1);
    }

private:
    static Poco::Logger& quietLog()
    {
        Poco::Logger& log = Poco::Logger::get("trace-test.quiet");
        log.setLevel(Poco::Message::PRIO_FATAL);
        return log;
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(TraceTest);
