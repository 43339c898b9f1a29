#include "PresenceBench.h"

#include "BenchProtocol.h"
#include "BenchSocket.h"
#include "ProcessStats.h"

#include "IM.Buddy.pb.h"

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

namespace ttbench
{
namespace
{

using Clock = std::chrono::steady_clock;

constexpr std::uint32_t kFirstUser = 10000000;

/// Asks `socket` about `ids`; returns how many are ONLINE. `stream` is the socket's, kept
/// between calls: other frames keep arriving, and the next call starts where this one ended.
std::size_t countOnline(BenchSocket& socket, FrameStream& stream, const std::vector<std::uint32_t>& ids)
{
    constexpr std::uint16_t kSeq = 0x7A7A;
    socket.sendAll(statusRequest(kSeq, ids));
    std::size_t online = 0;
    bool answered = false;
    while (!answered)
        stream.readFrom(socket, 100, [&](const char* frame, std::uint32_t length) {
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
    explicit StallProbe(const Poco::Net::SocketAddress& server)
        : sender_(server)
        , receiver_(server)
        , template_(kSenderUserBase, kReceiverUserBase, 64)
    {
        roundTrip(sender_);
        roundTrip(receiver_);
        thread_ = std::thread([this] {
            try
            {
                run();
            }
            catch (const std::exception&)
            {
                failed_ = true; // the route server closed a probe connection: counted as a wrong answer
            }
        });
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

    /// True when a probe connection failed.
    bool failed() const { return failed_.load(); }

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
    std::atomic<bool> failed_{false};
    std::atomic<std::int64_t> longestNs_{0};
    std::thread thread_;
};

} // namespace

PresenceResult runPresence(const PresenceOptions& options)
{
    PresenceResult result;
    BenchSocket observer(options.server);
    roundTrip(observer);
    FrameStream observed;
    std::vector<std::uint32_t> users(options.users);
    for (std::uint32_t i = 0; i < options.users; ++i)
        users[i] = kFirstUser + i;
    std::vector<std::uint32_t> sample;
    for (std::uint32_t i = 0; i < options.users; i += std::max<std::uint32_t>(1, options.users / 1000))
        sample.push_back(users[i]);
    const std::string registration = onlineUserInfo(users);

    StallProbe probe(options.server);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    const std::int64_t rssBefore = rssOf(options.serverPid);
    auto host = std::make_unique<BenchSocket>(options.server);
    probe.reset();
    const auto start = Clock::now();
    registerUsers(*host, {});
    host->sendAll(registration);
    roundTrip(*host);
    result.registerSeconds = std::chrono::duration<double>(Clock::now() - start).count();
    result.longestRegisterStallMs = probe.longestMs();
    if (rssBefore >= 0)
        result.rssGrowthBytes = rssOf(options.serverPid) - rssBefore;
    result.wrongAnswers += sample.size() - countOnline(observer, observed, sample);

    // The observer reads the offline announcements away while it polls.
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    probe.reset();
    const auto dropped = Clock::now();
    host.reset();
    while (countOnline(observer, observed, sample) > 0)
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
    result.wrongAnswers += probe.failed() ? 1 : 0;
    return result;
}

} // namespace ttbench
