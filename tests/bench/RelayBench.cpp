#include "RelayBench.h"

#include "BenchProtocol.h"
#include "BenchSocket.h"
#include "SendStamp.h"
#include "WorkerThreads.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <memory>
#include <mutex>
#include <poll.h>
#include <stdexcept>
#include <sys/eventfd.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace ttbench
{
namespace
{

using Clock = std::chrono::steady_clock;

/// Per-receiver, per-sender progress that senders read to keep their window.
struct Progress
{
    std::atomic<std::uint64_t> received{0};
};

/// State shared by all threads of one run.
struct Run
{
    explicit Run(const RelayOptions& options)
        : options(options)
        , progress(static_cast<std::size_t>(options.receivers * options.senders))
    {
    }

    Progress& of(int receiver, int sender) { return progress[static_cast<std::size_t>(receiver * options.senders + sender)]; }

    /// PDUs of `sender` that reached where they were going.
    std::uint64_t acknowledged(int sender)
    {
        std::uint64_t low = UINT64_MAX;
        std::uint64_t sum = 0;
        for (int r = 0; r < options.receivers; ++r)
        {
            const std::uint64_t got = of(r, sender).received.load(std::memory_order_acquire);
            low = std::min(low, got);
            sum += got;
        }
        return options.targeted ? sum : low;
    }

    const RelayOptions& options;
    std::vector<Progress> progress;
    std::atomic<bool> stopSending{false};
    std::atomic<bool> stopReceiving{false};
};

/// One sender: writes batches of numbered, time-stamped MSG_DATA while its window allows,
/// and reads away whatever the server sends it.
class Sender
{
public:
    Sender(Run& run, int index, std::unique_ptr<BenchSocket> socket)
        : run_(run)
        , index_(index)
        , socket_(std::move(socket))
        , wake_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC))
    {
        for (int r = 0; r < run.options.receivers; ++r)
            templates_.push_back(MsgDataTemplate(kSenderUserBase + static_cast<std::uint32_t>(index), kReceiverUserBase + static_cast<std::uint32_t>(r),
                                                 run.options.bodyBytes));
    }

    ~Sender() { ::close(wake_); }

    /// Wakes the sender if it waits for its window.
    void nudge()
    {
        if (waiting_.exchange(false, std::memory_order_acq_rel))
        {
            const std::uint64_t one = 1;
            [[maybe_unused]] const ssize_t written = ::write(wake_, &one, sizeof one);
        }
    }

    std::uint64_t sent() const { return sent_.load(std::memory_order_acquire); }

    void run(Clock::time_point start)
    {
        const RelayOptions& options = run_.options;
        const double perSecond = options.rate / options.senders;
        std::string out;
        std::size_t written = 0;
        char discard[65536];
        for (;;)
        {
            const bool stopping = run_.stopSending.load(std::memory_order_relaxed);
            if (written == out.size())
            {
                if (stopping)
                    return;
                socket_->keepAlive(); // between whole batches: never inside a frame
                out.clear();
                written = 0;
                std::uint64_t allowed = options.window - std::min(options.window, sent_ - run_.acknowledged(index_));
                if (perSecond > 0)
                {
                    const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
                    const auto due = static_cast<std::uint64_t>(elapsed * perSecond);
                    allowed = std::min(allowed, due > sent_ ? due - sent_ : 0);
                }
                const auto count = static_cast<std::uint32_t>(std::min<std::uint64_t>(allowed, options.batch));
                const std::int64_t stamp = nowNs();
                for (std::uint32_t i = 0; i < count; ++i)
                {
                    const std::uint64_t seq = sent_ + i;
                    templates_[static_cast<std::size_t>(seq % templates_.size())].appendTo(out, static_cast<std::uint32_t>(index_), seq, stamp);
                }
                sent_.store(sent_ + count, std::memory_order_release);
            }
            if (written < out.size())
                written += socket_->sendSome(out.data() + written, out.size() - written);

            const bool pendingWrite = written < out.size();
            if (!pendingWrite)
                waiting_.store(true, std::memory_order_release);
            pollfd fds[2] = {{socket_->fd(), static_cast<short>(POLLIN | (pendingWrite ? POLLOUT : 0)), 0}, {wake_, POLLIN, 0}};
            // Nothing to write means the window is full or the rate says wait: a receiver's
            // progress (the eventfd) or the next rate slot ends the wait.
            const int timeout = pendingWrite ? 50 : (perSecond > 0 ? 1 : 50);
            const bool windowOpen = !pendingWrite && sent_ - run_.acknowledged(index_) < options.window && perSecond == 0;
            if (!windowOpen)
                ::poll(fds, 2, timeout);
            if (fds[1].revents & POLLIN)
            {
                std::uint64_t count = 0;
                [[maybe_unused]] const ssize_t got = ::read(wake_, &count, sizeof count);
            }
            // Senders get relayed PDUs too (from the other senders); read them away.
            while (socket_->receiveSome(discard, sizeof discard, 0) > 0)
            {
            }
        }
    }

private:
    Run& run_;
    const int index_;
    std::unique_ptr<BenchSocket> socket_;
    int wake_;
    std::vector<MsgDataTemplate> templates_;
    std::atomic<std::uint64_t> sent_{0};
    std::atomic<bool> waiting_{false};
};

/// One receiver: counts every MSG_DATA, checks each sender's sequence, and times it.
class Receiver
{
public:
    Receiver(Run& run, int index, std::unique_ptr<BenchSocket> socket, std::vector<std::unique_ptr<Sender>>& senders)
        : run_(run)
        , index_(index)
        , socket_(std::move(socket))
        , senders_(senders)
        , next_(static_cast<std::size_t>(run.options.senders), run.options.targeted ? static_cast<std::uint64_t>(index) : 0)
        , layout_(kSenderUserBase, kReceiverUserBase, run.options.bodyBytes)
    {
        if (run.options.verifyBytes)
            for (int s = 0; s < run.options.senders; ++s)
                for (int r = 0; r < run.options.receivers; ++r)
                    expected_.emplace_back(kSenderUserBase + static_cast<std::uint32_t>(s), kReceiverUserBase + static_cast<std::uint32_t>(r),
                                           run.options.bodyBytes);
    }

    void run()
    {
        const RelayOptions& options = run_.options;
        const std::uint64_t step = options.targeted ? static_cast<std::uint64_t>(options.receivers) : 1;
        std::vector<std::uint64_t> counts(static_cast<std::size_t>(options.senders), 0);
        while (!run_.stopReceiving.load(std::memory_order_relaxed))
        {
            // A receiver sends nothing else: without its heartbeats the route server's idle
            // timeout would close it in any run longer than that.
            socket_->keepAlive();
            std::int64_t arrival = 0;
            const bool got = stream_.readFrom(*socket_, 20, [&](const char* frame, std::uint32_t length) {
                if (readU16(frame + 10) != kMsgDataCommand || length != 16 + options.bodyBytes)
                    return;
                if (arrival == 0)
                    arrival = nowNs();
                const MsgDataStamp stamp = layout_.stampOf(frame);
                if (!stamp.intact)
                {
                    ++corrupted_; // not a PDU any sender wrote
                    return;
                }
                if (stamp.sender >= counts.size())
                    return;
                std::uint64_t& expected = next_[stamp.sender];
                if (stamp.seq < expected)
                    ++outOfOrder_;
                else
                    expected = stamp.seq + step;
                ++counts[stamp.sender];
                bytes_ += length;
                if (!expected_.empty())
                {
                    // What the sender wrote for this sequence number, stamp and all.
                    check_.clear();
                    expected_[stamp.sender * static_cast<std::size_t>(options.receivers) + stamp.seq % static_cast<std::uint64_t>(options.receivers)]
                        .appendTo(check_, stamp.sender, stamp.seq, stamp.sentNs);
                    corrupted_ += check_.compare(0, check_.size(), frame, length) != 0 ? 1 : 0;
                }
                latency_.record(arrival - stamp.sentNs);
            });
            if (!got)
                continue;
            for (int s = 0; s < options.senders; ++s)
            {
                run_.of(index_, s).received.store(counts[static_cast<std::size_t>(s)], std::memory_order_release);
                senders_[static_cast<std::size_t>(s)]->nudge();
            }
        }
    }

    std::uint64_t delivered() const
    {
        std::uint64_t total = 0;
        for (int s = 0; s < run_.options.senders; ++s)
            total += run_.of(index_, s).received.load(std::memory_order_acquire);
        return total;
    }

    std::uint64_t bytes() const { return bytes_; }
    std::uint64_t outOfOrder() const { return outOfOrder_; }
    std::uint64_t corrupted() const { return corrupted_; }
    const LatencyHistogram& latency() const { return latency_; }

private:
    Run& run_;
    const int index_;
    std::unique_ptr<BenchSocket> socket_;
    std::vector<std::unique_ptr<Sender>>& senders_;
    FrameStream stream_;
    std::vector<std::uint64_t> next_;
    const MsgDataTemplate layout_;
    std::vector<MsgDataTemplate> expected_; ///< by sender, then addressee
    std::string check_;
    std::uint64_t corrupted_ = 0;
    std::uint64_t bytes_ = 0;
    std::uint64_t outOfOrder_ = 0;
    LatencyHistogram latency_;
};

} // namespace

RelayResult runRelay(const RelayOptions& options, FailureLatch& latch)
{
    Run run(options);
    std::vector<std::unique_ptr<BenchSocket>> receiverSockets;
    std::vector<std::unique_ptr<BenchSocket>> senderSockets;
    for (int r = 0; r < options.receivers; ++r)
        receiverSockets.push_back(inContext("receiver " + std::to_string(r + 1), [&] { return std::make_unique<BenchSocket>(options.server); }));
    for (int s = 0; s < options.senders; ++s)
        senderSockets.push_back(inContext("sender " + std::to_string(s + 1), [&] { return std::make_unique<BenchSocket>(options.server); }));
    if (options.awaitAccepted)
        options.awaitAccepted(options.receivers + options.senders);
    else
    {
        // Each receiver hosts one user, each sender one, so targeted relay knows where they are;
        // the status query's answer confirms the server routes for this connection.
        for (int r = 0; r < options.receivers; ++r)
            inContext("receiver " + std::to_string(r + 1),
                      [&] { registerUsers(*receiverSockets[static_cast<std::size_t>(r)], {kReceiverUserBase + static_cast<std::uint32_t>(r)}); });
        for (int s = 0; s < options.senders; ++s)
            inContext("sender " + std::to_string(s + 1),
                      [&] { registerUsers(*senderSockets[static_cast<std::size_t>(s)], {kSenderUserBase + static_cast<std::uint32_t>(s)}); });
    }

    std::vector<std::unique_ptr<Sender>> senders;
    for (int s = 0; s < options.senders; ++s)
        senders.push_back(std::make_unique<Sender>(run, s, std::move(senderSockets[static_cast<std::size_t>(s)])));
    std::vector<std::unique_ptr<Receiver>> receivers;
    for (int r = 0; r < options.receivers; ++r)
        receivers.push_back(std::make_unique<Receiver>(run, r, std::move(receiverSockets[static_cast<std::size_t>(r)]), senders));

    // Declared after what the threads use, so that leaving early joins them first.
    WorkerThreads receiverThreads(latch, [&run] { run.stopReceiving = true; });
    WorkerThreads senderThreads(latch, [&run] { run.stopSending = true; });
    for (std::size_t r = 0; r < receivers.size(); ++r)
        receiverThreads.spawn("receiver " + std::to_string(r + 1), [&receiver = *receivers[r]] { receiver.run(); });
    const Clock::time_point start = Clock::now();
    for (std::size_t s = 0; s < senders.size(); ++s)
        senderThreads.spawn("sender " + std::to_string(s + 1), [&sender = *senders[s], start] { sender.run(start); });

    latch.waitFor(options.seconds);
    run.stopSending = true;
    senderThreads.join();

    RelayResult result;
    std::uint64_t perReceiver = 0;
    for (auto& sender : senders)
    {
        result.sent += sender->sent();
        perReceiver += sender->sent();
    }
    result.expected = options.targeted ? result.sent : perReceiver * static_cast<std::uint64_t>(options.receivers);
    // Wait for the last PDUs in flight (bounded: a lost PDU never comes).
    const auto deadline = Clock::now() + std::chrono::seconds(10);
    auto deliveredNow = [&] {
        std::uint64_t total = 0;
        for (auto& receiver : receivers)
            total += receiver->delivered();
        return total;
    };
    while (deliveredNow() < result.expected && Clock::now() < deadline && !latch.failed())
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    run.stopReceiving = true;
    receiverThreads.join();
    latch.rethrowIfFailed();

    for (auto& receiver : receivers)
    {
        result.delivered += receiver->delivered();
        result.deliveredBytes += receiver->bytes();
        result.outOfOrder += receiver->outOfOrder();
        result.corrupted += receiver->corrupted();
        result.latency.merge(receiver->latency());
    }
    return result;
}

RelayResult runRelay(const RelayOptions& options)
{
    FailureLatch latch;
    return runRelay(options, latch);
}

} // namespace ttbench
