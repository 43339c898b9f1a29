#include "QueryBench.h"

#include "BenchProtocol.h"
#include "BenchSocket.h"
#include "SendStamp.h"
#include "StatusAnswer.h"
#include "WorkerThreads.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <random>
#include <thread>
#include <vector>

namespace ttbench
{
namespace
{

using Clock = std::chrono::steady_clock;

constexpr std::uint32_t kRequester = 1;
constexpr std::size_t kRequestsPerConnection = 512; ///< distinct queries, reused round-robin

/// True when `answer` is the answer to `ids` from kRequester: every id in order, even ones
/// ONLINE (1), odd ones OFFLINE (2), and no attach_data (the queries carry none).
bool answerIsRight(const StatusAnswer& answer, const std::vector<std::uint32_t>& ids)
{
    if (answer.requester != kRequester || answer.attach != nullptr || answer.stats.size() != ids.size())
        return false;
    for (std::size_t i = 0; i < ids.size(); ++i)
    {
        const auto [id, status] = answer.stats[i];
        if (id != ids[i] || status != (ids[i] % 2 == 0 ? 1u : 2u))
            return false;
    }
    return true;
}

/// One fake msg server keeping its window of queries full.
class QueryClient
{
public:
    QueryClient(const QueryOptions& options, std::uint32_t seed)
        : options_(options)
        , socket_(options.server)
        , sentAt_(65536, 0)
    {
        std::mt19937 random(seed);
        std::uniform_int_distribution<std::uint32_t> pick(1, std::max<std::uint32_t>(1, options.users * 2));
        for (std::size_t i = 0; i < kRequestsPerConnection; ++i)
        {
            std::vector<std::uint32_t> ids(options.ids);
            for (auto& id : ids)
                id = pick(random);
            requests_.push_back(statusRequest(0, ids));
            ids_.push_back(std::move(ids));
        }
    }

    void run(const std::atomic<bool>& stop)
    {
        std::uint32_t outstanding = 0;
        std::string out;
        Clock::time_point giveUp = Clock::time_point::max();
        while (!stop.load(std::memory_order_relaxed) || outstanding > 0)
        {
            if (stop.load(std::memory_order_relaxed) && giveUp == Clock::time_point::max())
                giveUp = Clock::now() + std::chrono::seconds(5);
            if (Clock::now() > giveUp)
            {
                wrong_ += outstanding; // never answered
                return;
            }
            socket_.keepAlive(); // every write is whole queries: between frames here
            out.clear();
            const std::int64_t stamp = nowNs();
            while (!stop.load(std::memory_order_relaxed) && outstanding < options_.window)
            {
                const std::uint16_t seq = nextSeq_++;
                const std::string& request = requests_[seq % requests_.size()];
                out += request;
                out[out.size() - request.size() + 12] = static_cast<char>(seq >> 8);
                out[out.size() - request.size() + 13] = static_cast<char>(seq);
                sentAt_[seq] = stamp;
                ++outstanding;
            }
            if (!out.empty())
                socket_.sendAll(out);
            stream_.readFrom(socket_, 50, [&](const char* frame, std::uint32_t length) {
                if (readU16(frame + 10) != kStatusResponseCommand)
                    return;
                const std::uint16_t seq = readU16(frame + 12);
                latency_.record(nowNs() - sentAt_[seq]);
                if (!answer_.read(frame + 16, length - 16) || !answerIsRight(answer_, ids_[seq % ids_.size()]))
                    ++wrong_;
                ++answered_;
                --outstanding;
            });
        }
    }

    std::uint64_t answered() const { return answered_; }
    std::uint64_t wrong() const { return wrong_; }
    const LatencyHistogram& latency() const { return latency_; }

private:
    const QueryOptions& options_;
    BenchSocket socket_;
    FrameStream stream_;
    std::vector<std::string> requests_;
    std::vector<std::vector<std::uint32_t>> ids_;
    std::vector<std::int64_t> sentAt_; ///< by sequence number
    std::uint16_t nextSeq_ = 0;
    std::uint64_t answered_ = 0;
    std::uint64_t wrong_ = 0;
    LatencyHistogram latency_;
    StatusAnswer answer_; ///< the last answer read, reused: no allocation per answer
};

/// Keeps `registrar` connected until `end`. It sends nothing else, so it heartbeats as a msg
/// server does (else the route server's idle timeout would close it and its users would go
/// offline mid-run), and it reads away what the server sends it.
/// Returns early when a query connection failed.
void keepHolding(BenchSocket& registrar, Clock::time_point end, FailureLatch& latch)
{
    char discard[4096];
    for (auto now = Clock::now(); now < end && !latch.failed(); now = Clock::now())
    {
        registrar.keepAlive();
        while (registrar.receiveSome(discard, sizeof discard, 0) > 0)
        {
        }
        latch.waitFor(std::chrono::duration<double>(std::min<Clock::duration>(end - now, std::chrono::milliseconds(100))).count());
    }
}

} // namespace

QueryResult runQuery(const QueryOptions& options)
{
    // Even ids are online; the registrar stays connected so they stay so.
    BenchSocket registrar = inContext("registrar", [&] { return BenchSocket(options.server); });
    std::vector<std::uint32_t> online;
    for (std::uint32_t id = 2; id <= options.users * 2; id += 2)
        online.push_back(id);
    inContext("registrar", [&] { registerUsers(registrar, online); });

    std::vector<std::unique_ptr<QueryClient>> clients;
    for (int i = 0; i < options.connections; ++i)
        clients.push_back(inContext("query connection " + std::to_string(i + 1),
                                    [&] { return std::make_unique<QueryClient>(options, static_cast<std::uint32_t>(i + 1)); }));
    std::atomic<bool> stop{false};
    FailureLatch latch;
    WorkerThreads threads(latch, [&stop] { stop = true; });
    const auto start = Clock::now();
    for (std::size_t i = 0; i < clients.size(); ++i)
        threads.spawn("query connection " + std::to_string(i + 1), [&client = *clients[i], &stop] { client.run(stop); });
    inContext("registrar", [&] {
        keepHolding(registrar, start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(options.seconds)), latch);
    });
    stop = true;
    threads.join();
    latch.rethrowIfFailed();

    QueryResult result;
    result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    for (auto& client : clients)
    {
        result.queries += client->answered();
        result.wrongAnswers += client->wrong();
        result.latency.merge(client->latency());
    }
    return result;
}

} // namespace ttbench
