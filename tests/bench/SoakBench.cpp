#include "SoakBench.h"

#include "BenchProtocol.h"
#include "BenchSocket.h"

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

    /// Waits for the answer to the status query with `seq` and returns its body; throws after 30 s.
    std::string answer(std::uint16_t seq)
    {
        std::unique_lock lock(mutex_);
        if (!answered_.wait_for(lock, std::chrono::seconds(30), [&] { return answers_.count(seq) > 0 || failed_; }) || failed_)
            throw std::runtime_error("no answer to a status query within 30 s");
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
        catch (const std::exception&)
        {
            std::lock_guard lock(mutex_);
            failed_ = true;
            answered_.notify_all();
        }
    }

    BenchSocket socket_;
    std::mutex mutex_;
    std::condition_variable answered_;
    std::map<std::uint16_t, std::string> answers_;
    bool failed_ = false;
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
        connection.answer(seq); // paces the churn to what the server applies
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
        const std::string body = connection.answer(seq);
        ++answered;
        IM::Buddy::IMUsersStatRsp response;
        bool right = response.ParseFromString(body) && response.user_stat_list_size() == static_cast<int>(ids.size()) &&
                     response.user_stat_list(0).status() == IM::BaseDefine::USER_STATUS_ONLINE;
        for (int i = 0; right && i < response.user_stat_list_size(); ++i)
            right = response.user_stat_list(i).user_id() == ids[static_cast<std::size_t>(i)];
        wrong += right ? 0 : 1;
    }
}

/// Runs `work`, recording why it failed (named `what`) instead of ending the process.
template <typename Work>
void guarded(const char* what, Work work, std::optional<std::string>& failure)
{
    try
    {
        work();
    }
    catch (const std::exception& error)
    {
        failure = std::string(what) + ": " + error.what();
    }
}

} // namespace

SoakResult runSoak(const SoakOptions& options)
{
    SoakResult result;
    std::atomic<bool> stop{false};
    std::optional<std::string> churnFailure;
    std::optional<std::string> queryFailure;
    std::thread churner([&] {
        guarded("presence churn", [&] { churnPresence(options.relay.server, options.churnUsers, stop, result.presenceUpdates); }, churnFailure);
    });
    std::thread querier([&] {
        guarded("status queries", [&] { queryPresence(options.relay.server, options.churnUsers, stop, result.queries, result.wrongAnswers); },
                queryFailure);
    });
    RelayOptions relay = options.relay;
    relay.verifyBytes = true;
    try
    {
        result.relay = runRelay(relay);
    }
    catch (...)
    {
        stop = true;
        churner.join();
        querier.join();
        throw;
    }
    stop = true;
    churner.join();
    querier.join();
    for (auto* failure : {&churnFailure, &queryFailure})
        if (*failure)
            result.failures.push_back(**failure);
    return result;
}

} // namespace ttbench
