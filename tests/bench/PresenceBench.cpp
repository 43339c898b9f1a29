#include "PresenceBench.h"

#include "BenchProtocol.h"
#include "BenchSocket.h"
#include "ProcessStats.h"
#include "WorkerThreads.h"

#include "IM.Buddy.pb.h"

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

namespace ttbench
{
namespace
{

using Clock = std::chrono::steady_clock;

constexpr std::uint32_t kFirstUser = 10000000;

/// The connection that watches: asks about sampled users and counts the status
/// notifications about the bench's users that arrive meanwhile, whatever it is waiting for.
class Observer
{
public:
    explicit Observer(const Poco::Net::SocketAddress& server)
        : socket_(inContext("observer", [&] { return BenchSocket(server); }))
    {
        inContext("observer", [&] { roundTrip(socket_); });
    }

    /// Asks about `ids`; returns how many are ONLINE.
    std::size_t countOnline(const std::vector<std::uint32_t>& ids)
    {
        constexpr std::uint16_t kSeq = 0x7A7A;
        inContext("observer", [&] { socket_.sendAll(statusRequest(kSeq, ids)); });
        std::size_t online = 0;
        bool answered = false;
        while (!answered)
            read(100, [&](const char* frame, std::uint32_t length) {
                if (readU16(frame + 10) != kStatusResponseCommand || readU16(frame + 12) != kSeq)
                    return;
                IM::Buddy::IMUsersStatRsp response;
                response.ParseFromArray(frame + 16, static_cast<int>(length - 16));
                for (const auto& stat : response.user_stat_list())
                    online += stat.status() == IM::BaseDefine::USER_STATUS_ONLINE ? 1 : 0;
                answered = true;
            });
        return online;
    }

    /// Reads until `count` users of [first, first + count) were announced with `status`, or
    /// until `deadline`; returns how many were.
    std::uint32_t awaitAnnounced(IM::BaseDefine::UserStatType status, std::uint32_t count, Clock::time_point deadline)
    {
        auto& heard = status == IM::BaseDefine::USER_STATUS_ONLINE ? online_ : offline_;
        while (heard < count && Clock::now() < deadline)
            read(100, [](const char*, std::uint32_t) {});
        return heard;
    }

    /// Reads (and counts announcements) until `done` returns true.
    void readUntil(const std::function<bool()>& done)
    {
        while (!done())
            read(100, [](const char*, std::uint32_t) {});
    }

    /// Forgets the announcements counted so far.
    void resetCounts() { online_ = offline_ = 0; }

private:
    template <typename OnFrame>
    void read(int timeoutMs, OnFrame&& onFrame)
    {
        inContext("observer", [&] {
            socket_.keepAlive();
            stream_.readFrom(socket_, timeoutMs, [&](const char* frame, std::uint32_t length) {
                if (readU16(frame + 10) == kBuddyStatusNotifyCommand)
                {
                    IM::Buddy::IMUserStatNotify notify;
                    notify.ParseFromArray(frame + 16, static_cast<int>(length - 16));
                    if (notify.user_stat().user_id() >= kFirstUser)
                        ++(notify.user_stat().status() == IM::BaseDefine::USER_STATUS_ONLINE ? online_ : offline_);
                }
                onFrame(frame, length);
            });
        });
    }

    BenchSocket socket_;
    FrameStream stream_; ///< kept between calls: other frames keep arriving
    std::uint32_t online_ = 0;
    std::uint32_t offline_ = 0;
};

std::int64_t rssOf(pid_t pid)
{
    const auto stats = pid > 0 ? ProcessStats::of(pid) : std::nullopt;
    return stats ? static_cast<std::int64_t>(stats->rssBytes) : -1;
}

/// A sender and a receiver that relay small PDUs back to back, the sender also asking one
/// user's status each time, recording the longest round: how long routing stalled. The
/// query takes the presence lock in either relay mode (a broadcast relay does not), so a
/// long hold of it shows here.
class StallProbe
{
public:
    /// A failure of the probe's connections goes to `latch`.
    StallProbe(const Poco::Net::SocketAddress& server, FailureLatch& latch)
        : sender_(server)
        , receiver_(server)
        , template_(kSenderUserBase, kReceiverUserBase, 64)
        , thread_(latch, [this] { stop_ = true; })
    {
        roundTrip(sender_);
        roundTrip(receiver_);
        thread_.spawn("stall probe", [this] { run(); });
    }

    ~StallProbe()
    {
        stop_ = true;
        thread_.join();
    }

    /// Forgets the gaps seen so far.
    void reset() { longestNs_ = 0; }

    /// The longest gap since reset(), in milliseconds.
    double longestMs() const { return static_cast<double>(longestNs_.load()) / 1e6; }

private:
    void run()
    {
        std::uint64_t seq = 0;
        std::string out;
        FrameStream received;
        FrameStream answered;
        auto last = Clock::now();
        while (!stop_)
        {
            // One PDU and one query in flight: each gap between rounds is the time one
            // routing of each took.
            const auto querySeq = static_cast<std::uint16_t>(seq);
            out.clear();
            template_.appendTo(out, 0, seq++, 0);
            out += statusRequest(querySeq, {kSenderUserBase});
            sender_.sendAll(out);
            receiver_.keepAlive();
            bool arrived = false;
            while (!arrived && !stop_)
                received.readFrom(receiver_, 50, [&](const char* frame, std::uint32_t) {
                    arrived = arrived || readU16(frame + 10) == kMsgDataCommand;
                });
            bool answer = false;
            while (!answer && !stop_)
                answered.readFrom(sender_, 50, [&](const char* frame, std::uint32_t) {
                    answer = answer || (readU16(frame + 10) == kStatusResponseCommand && readU16(frame + 12) == querySeq);
                });
            const auto now = Clock::now();
            const auto gap = std::chrono::duration_cast<std::chrono::nanoseconds>(now - last).count();
            last = now;
            if (gap > longestNs_.load())
                longestNs_ = gap;
            std::this_thread::sleep_for(std::chrono::microseconds(200));
        }
    }

    BenchSocket sender_;
    BenchSocket receiver_;
    MsgDataTemplate template_;
    std::atomic<bool> stop_{false};
    std::atomic<std::int64_t> longestNs_{0};
    WorkerThreads thread_;
};

} // namespace

PresenceResult runPresence(const PresenceOptions& options)
{
    PresenceResult result;
    Observer observer(options.server);
    std::vector<std::uint32_t> users(options.users);
    for (std::uint32_t i = 0; i < options.users; ++i)
        users[i] = kFirstUser + i;
    std::vector<std::uint32_t> sample;
    for (std::uint32_t i = 0; i < options.users; i += std::max<std::uint32_t>(1, options.users / 1000))
        sample.push_back(users[i]);
    const std::string registration = onlineUserInfo(users);

    FailureLatch latch;
    StallProbe probe = inContext("stall probe", [&] { return StallProbe(options.server, latch); });
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    const std::int64_t rssBefore = rssOf(options.serverPid);
    auto host = std::make_unique<BenchSocket>(options.server);
    probe.reset();
    const auto start = Clock::now();
    {
        // Registered from a thread of its own, as the observer must read meanwhile: users an
        // earlier run left announced offline (a grace of 0, or a run after the grace) are
        // announced online again when listed, paced to what the other connections read.
        std::atomic<bool> registered{false};
        WorkerThreads registering(latch, [&host] { host->shutdown(); });
        registering.spawn("registering connection", [&] {
            registerUsers(*host, {});
            host->sendAll(registration);
            roundTrip(*host);
            registered = true;
        });
        observer.readUntil([&] { return registered || latch.failed(); });
        registering.join();
    }
    latch.rethrowIfFailed();
    result.registerSeconds = std::chrono::duration<double>(Clock::now() - start).count();
    result.longestRegisterStallMs = probe.longestMs();
    if (rssBefore >= 0)
        result.rssGrowthBytes = rssOf(options.serverPid) - rssBefore;
    result.wrongAnswers += sample.size() - observer.countOnline(sample);

    // The observer counts the offline announcements while it polls.
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    probe.reset();
    observer.resetCounts();
    const auto dropped = Clock::now();
    host.reset();
    while (observer.countOnline(sample) > 0)
    {
        if (Clock::now() - dropped > std::chrono::seconds(60))
        {
            ++result.wrongAnswers;
            break;
        }
    }
    result.removeSeconds = std::chrono::duration<double>(Clock::now() - dropped).count();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    result.longestStallMs = probe.longestMs();

    if (options.graceSeconds >= 0)
    {
        // After the grace, every user is announced offline once; listed again by another
        // connection, every one is announced online again (protocol.md §7).
        probe.reset();
        const auto graceOver = dropped + std::chrono::milliseconds(static_cast<std::int64_t>(options.graceSeconds * 1000));
        const std::uint32_t offline = observer.awaitAnnounced(IM::BaseDefine::USER_STATUS_OFFLINE, options.users, graceOver + std::chrono::seconds(60));
        result.announceSeconds = std::chrono::duration<double>(Clock::now() - dropped).count();
        result.longestAnnounceStallMs = probe.longestMs();
        result.wrongAnswers += options.users - offline;

        probe.reset();
        auto back = inContext("listing connection", [&] { return std::make_unique<BenchSocket>(options.server); });
        inContext("listing connection", [&] { registerUsers(*back, {}); });
        const auto listed = Clock::now();
        std::uint32_t online = 0;
        {
            // Listed from a thread of its own, as the observer must read meanwhile: the server
            // paces the announcements to what the others read. Leaving early shuts the
            // connection down, which ends the thread's writing.
            WorkerThreads listing(latch, [&back] { back->shutdown(); });
            listing.spawn("listing connection", [&] { back->sendAll(registration); });
            online = observer.awaitAnnounced(IM::BaseDefine::USER_STATUS_ONLINE, options.users, listed + std::chrono::seconds(60));
            listing.join();
        }
        latch.rethrowIfFailed();
        result.returnSeconds = std::chrono::duration<double>(Clock::now() - listed).count();
        result.longestReturnStallMs = probe.longestMs();
        result.wrongAnswers += options.users - online;
        result.wrongAnswers += sample.size() - observer.countOnline(sample);
        // Gone again, and forgotten before the next run starts (the announcement is left to
        // the grace: the next run lists the users again before it is over).
        back.reset();
        const auto gone = Clock::now();
        while (observer.countOnline(sample) > 0)
            if (Clock::now() - gone > std::chrono::seconds(60))
            {
                ++result.wrongAnswers;
                break;
            }
    }
    latch.rethrowIfFailed();
    return result;
}

} // namespace ttbench
