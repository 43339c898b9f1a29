#include "SoakBench.h"

#include "BenchProtocol.h"
#include "BenchSocket.h"
#include "WorkerThreads.h"

#include "IM.Buddy.pb.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

namespace ttbench
{
namespace
{

constexpr std::uint32_t kChurnUserBase = 30000000;
constexpr std::uint32_t kSteadyUser = 29999999; ///< online all along, on the querier's own connection

/// A fake msg server beside the relay load: a thread of its own reads everything the server
/// sends (in broadcast mode that is the whole relay flood, which must not back up), keeps the
/// status answers, and hands them to whoever waits for one.
class SideConnection
{
public:
    explicit SideConnection(const Poco::Net::SocketAddress& server)
        : socket_(server)
        , reader_([this] { read(); })
    {
    }

    ~SideConnection()
    {
        stop_ = true;
        reader_.join();
    }

    /// Writes `bytes` (the reader thread keeps the other direction flowing meanwhile); first a
    /// HEARTBEAT if nothing was sent for a while. Only the owner's thread sends.
    void send(const std::string& bytes)
    {
        socket_.keepAlive();
        socket_.sendAll(bytes);
    }

    /// Waits for the answer to the status query with `seq` and returns its body; nullopt
    /// when `stop` is set meanwhile. Throws what ended the reader, or after 30 s.
    std::optional<std::string> answer(std::uint16_t seq, const std::atomic<bool>& stop)
    {
        std::unique_lock lock(mutex_);
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (answers_.count(seq) == 0 && !error_)
        {
            if (stop.load())
                return std::nullopt;
            if (std::chrono::steady_clock::now() > deadline)
                throw std::runtime_error("no answer to a status query within 30 s");
            answered_.wait_for(lock, std::chrono::milliseconds(100));
        }
        if (error_)
            throw std::runtime_error(*error_);
        std::string body = std::move(answers_[seq]);
        answers_.erase(seq);
        return body;
    }

private:
    void read()
    {
        FrameStream stream;
        try
        {
            while (!stop_)
                stream.readFrom(socket_, 50, [&](const char* frame, std::uint32_t length) {
                    if (readU16(frame + 10) != kStatusResponseCommand)
                        return;
                    std::lock_guard lock(mutex_);
                    answers_[readU16(frame + 12)] = std::string(frame + 16, length - 16);
                    answered_.notify_all();
                });
        }
        catch (const std::exception& error)
        {
            std::lock_guard lock(mutex_);
            error_ = error.what(); // e.g. the route server closed the connection
            answered_.notify_all();
        }
    }

    BenchSocket socket_;
    std::mutex mutex_;
    std::condition_variable answered_;
    std::map<std::uint16_t, std::string> answers_;
    std::optional<std::string> error_; ///< what ended the reader
    std::atomic<bool> stop_{false};
    std::thread reader_;
};

/// Logs `users` in and out in turn, each round confirmed by a status query's answer.
void churnPresence(const Poco::Net::SocketAddress& server, std::uint32_t users, const std::atomic<bool>& stop, std::uint64_t& sent)
{
    SideConnection connection(server);
    std::string batch;
    std::uint16_t seq = 0;
    for (bool online = true; !stop.load(); online = !online)
    {
        batch.clear();
        for (std::uint32_t i = 0; i < users; ++i)
            batch += statusUpdate(kChurnUserBase + i, online);
        batch += statusRequest(++seq, {});
        connection.send(batch);
        if (!connection.answer(seq, stop)) // paces the churn to what the server applies
            return;
        sent += users;
    }
}

/// Queries the steady user and churning users; the answer must list every id in order and
/// the steady user as online.
void queryPresence(const Poco::Net::SocketAddress& server, std::uint32_t users, const std::atomic<bool>& stop, std::uint64_t& answered,
                   std::uint64_t& wrong)
{
    SideConnection connection(server);
    std::vector<std::uint32_t> ids{kSteadyUser};
    for (std::uint32_t i = 0; i < std::min<std::uint32_t>(users, 99); ++i)
        ids.push_back(kChurnUserBase + i);
    connection.send(onlineUserInfo({kSteadyUser}));
    for (std::uint16_t seq = 1; !stop.load(); ++seq)
    {
        connection.send(statusRequest(seq, ids));
        const std::optional<std::string> body = connection.answer(seq, stop);
        if (!body)
            return;
        ++answered;
        IM::Buddy::IMUsersStatRsp response;
        bool right = response.ParseFromString(*body) && response.user_stat_list_size() == static_cast<int>(ids.size()) &&
                     response.user_stat_list(0).status() == IM::BaseDefine::USER_STATUS_ONLINE;
        for (int i = 0; right && i < response.user_stat_list_size(); ++i)
            right = response.user_stat_list(i).user_id() == ids[static_cast<std::size_t>(i)];
        wrong += right ? 0 : 1;
    }
}

} // namespace

SoakResult runSoak(const SoakOptions& options)
{
    SoakResult result;
    std::atomic<bool> stop{false};
    // One latch for the relay and the side workers: whichever fails first stops them all.
    FailureLatch latch;
    WorkerThreads side(latch, [&stop] { stop = true; });
    side.spawn("presence churn", [&] { churnPresence(options.relay.server, options.churnUsers, stop, result.presenceUpdates); });
    side.spawn("status queries", [&] { queryPresence(options.relay.server, options.churnUsers, stop, result.queries, result.wrongAnswers); });
    RelayOptions relay = options.relay;
    relay.verifyBytes = true;
    result.relay = runRelay(relay, latch);
    stop = true;
    side.join();
    latch.rethrowIfFailed();
    return result;
}

} // namespace ttbench
