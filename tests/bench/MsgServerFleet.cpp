#include "MsgServerFleet.h"

#include "BenchProtocol.h"
#include "BenchSocket.h"
#include "FleetConnection.h"
#include "FleetControl.h"
#include "FleetLayout.h"
#include "FleetProgress.h"
#include "FleetQuerier.h"
#include "FleetReader.h"
#include "FleetSender.h"
#include "StampedQuery.h"
#include "WorkerThreads.h"

#include <algorithm>
#include <chrono>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace ttbench
{
namespace
{

using Clock = std::chrono::steady_clock;

constexpr std::size_t kRequestsPerQuerier = 64; ///< distinct queries, reused round-robin
constexpr auto kDrainLimit = std::chrono::seconds(10);

/// Reads `connection` until the answer to the status query with `seq`, discarding what comes before it.
void awaitAnswer(FleetConnection& connection, std::uint16_t seq, Clock::time_point deadline)
{
    FrameStream stream(4096);
    awaitStatusAnswer(*connection.socket, stream, seq, deadline);
}

/// Connects the msg servers and registers each one's user (ONLINE_USER_INFO, then a status
/// query whose answer confirms it), a wave of kRegisterWave at a time. Each wave is served
/// before the next connects, so the connections never pile up in the server's accept queue:
/// host.route.max_queued (16 by default) refuses what overflows it while the server starts
/// threads for the others, and that is the storm's business, not the fleet's. Without the
/// protocol (the baseline forwarder) they connect all at once, and in targeted mode list
/// their users (ONLINE_USER_INFO) so that the forwarder knows where each message goes.
void connectAll(const FleetOptions& options, const FleetLayout& layout, std::vector<FleetConnection>& connections)
{
    constexpr int kRegisterWave = 8;
    const int servers = options.servers;
    auto failed = [servers](int i, const std::exception& error) {
        return std::runtime_error(msgServerName(i, servers) + ": " + error.what() + " (does the route server serve " + std::to_string(servers) +
                                  " msg servers at once? see route.max_connections, host.route.max_threads and host.route.max_queued)");
    };
    const auto deadline = Clock::now() + std::chrono::seconds(30);
    const int wave = options.speaksProtocol ? kRegisterWave : servers;
    for (int first = 0; first < servers; first += wave)
    {
        const int end = std::min(servers, first + wave);
        for (int i = first; i < end; ++i)
        {
            FleetConnection connection;
            connection.index = i;
            connection.writer = i < options.senders || i >= servers - options.queriers;
            try
            {
                connection.socket = std::make_unique<BenchSocket>(options.server);
                const std::string listing = onlineUserInfo({kFleetUserBase + static_cast<std::uint32_t>(i)}, !layout.onPc(i));
                if (options.speaksProtocol)
                    connection.socket->sendAll(listing + statusRequest(kFleetRegisterSeq, {}));
                else if (options.targeted)
                    connection.socket->sendAll(listing);
            }
            catch (const std::exception& error)
            {
                throw failed(i, error);
            }
            connections.push_back(std::move(connection));
        }
        if (options.speaksProtocol)
            for (int i = first; i < end; ++i)
                try
                {
                    awaitAnswer(connections[static_cast<std::size_t>(i)], kFleetRegisterSeq, deadline);
                }
                catch (const std::exception& error)
                {
                    throw failed(i, error);
                }
    }
}

} // namespace

struct MsgServerFleet::State
{
    State(const FleetOptions& fleetOptions, FailureLatch& failureLatch)
        : options(fleetOptions)
        , layout(options)
        , latch(failureLatch)
    {
    }

    std::uint64_t delivered() const
    {
        std::uint64_t total = 0;
        for (const auto& reader : readers)
            total += reader->delivered();
        return total;
    }

    std::uint64_t expectedCopies() const
    {
        std::uint64_t sent = 0;
        for (const auto& sender : senders)
            sent += sender->sent();
        return sent * layout.copies();
    }

    std::uint64_t unanswered() const
    {
        std::uint64_t due = 0;
        for (const auto& querier : queriers)
            due += querier->sent() - std::min(querier->sent(), querier->answered());
        return due;
    }

    /// Turns the writers' switch `which` on: they start writing.
    void switchOn(FleetSwitch& which)
    {
        {
            std::lock_guard lock(control.mutex);
            which.on = true;
            which.since = Clock::now();
        }
        control.changed.notify_all();
    }

    /// Turns `writers`' switch `which` off, waits until none of them writes any more and then
    /// until `drained` (each wait ends at a failure or the drain limit too), and returns the
    /// seconds from switching on to drained.
    template <typename Writers, typename Drained>
    double switchOff(FleetSwitch& which, const Writers& writers, Drained drained)
    {
        Clock::time_point start;
        {
            std::lock_guard lock(control.mutex);
            which.on = false;
            start = which.since;
        }
        control.changed.notify_all();
        for (auto& writer : writers)
            writer->wakeup().ring();
        awaitIdle([&writers] { return std::none_of(writers.begin(), writers.end(), [](const auto& writer) { return writer->busy(); }); });
        awaitDrained(drained);
        return std::chrono::duration<double>(Clock::now() - start).count();
    }

    /// Waits until `done` (checked under control.mutex), a failure, or the drain limit.
    template <typename Done>
    void awaitIdle(Done done)
    {
        const auto deadline = Clock::now() + kDrainLimit;
        std::unique_lock lock(control.mutex);
        while (!done() && !latch.failed() && Clock::now() < deadline)
            control.changed.wait_for(lock, std::chrono::milliseconds(50));
    }

    /// Waits until `done`, a failure, or the drain limit.
    template <typename Done>
    void awaitDrained(Done done)
    {
        const auto deadline = Clock::now() + kDrainLimit;
        while (!done() && !latch.failed() && Clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }

    /// Ends every thread and waits for them.
    void stopThreads()
    {
        if (!threads)
            return;
        stopAll();
        threads->join();
    }

    void stopAll()
    {
        {
            std::lock_guard lock(control.mutex);
            control.closing = true;
            control.closingFlag = true;
        }
        control.changed.notify_all();
        for (auto& sender : senders)
            sender->wakeup().ring();
        for (auto& querier : queriers)
            querier->wakeup().ring();
    }

    const FleetOptions options;
    const FleetLayout layout;
    FailureLatch& latch;
    FleetControl control;
    std::vector<FleetConnection> connections;
    std::vector<std::vector<StampedQuery>> requests; ///< by querier
    std::unique_ptr<FleetProgress> progress;
    std::vector<std::unique_ptr<FleetSender>> senders;
    std::vector<std::unique_ptr<FleetQuerier>> queriers;
    std::vector<std::unique_ptr<FleetReader>> readers;
    std::unique_ptr<WorkerThreads> threads; ///< last: stopped and joined before anything they use goes
};

MsgServerFleet::MsgServerFleet(const FleetOptions& options, FailureLatch& latch)
    : state_(std::make_unique<State>(options, latch))
{
    State& state = *state_;
    const FleetOptions& o = state.options;
    if (o.servers < 2 || o.servers > kMaxFleetServers)
        throw std::invalid_argument("a fleet has 2 to " + std::to_string(kMaxFleetServers) + " msg servers, not " + std::to_string(o.servers));
    // A msg server is written by one thread only: senders and queriers must not overlap.
    if (o.senders < 1 || o.senders >= o.servers || o.receivers < 0 || o.senders + o.receivers > o.servers || o.queriers < 0 ||
        o.senders + o.queriers > o.servers || o.readers < 1)
        throw std::invalid_argument(std::to_string(o.servers) + " msg servers cannot hold " + std::to_string(o.senders) + " senders, " +
                                    std::to_string(o.receivers) + " receivers and " + std::to_string(o.queriers) + " queriers");
    if (!o.speaksProtocol && o.queriers > 0)
        throw std::invalid_argument("without the protocol a fleet cannot query");

    connectAll(o, state.layout, state.connections);
    if (!o.speaksProtocol && o.awaitAccepted)
        o.awaitAccepted(o.servers);

    for (int q = 0; q < o.queriers; ++q)
    {
        std::mt19937 random(static_cast<std::uint32_t>(q + 1));
        std::uniform_int_distribution<std::uint32_t> pick(kFleetUserBase, kFleetUserBase + 2 * static_cast<std::uint32_t>(o.servers) - 1);
        auto& mine = state.requests.emplace_back();
        for (std::size_t k = 0; k < kRequestsPerQuerier; ++k)
        {
            std::vector<std::uint32_t> ids(o.ids);
            for (auto& id : ids)
                id = pick(random); // half the fleet's users, half nobody's: online and offline both
            mine.emplace_back(kFleetRequester, std::move(ids));
        }
    }

    const int readers = std::min(o.readers, o.servers);
    state.progress = std::make_unique<FleetProgress>(readers, o.senders, o.targeted);
    for (int s = 0; s < o.senders; ++s)
        state.senders.push_back(std::make_unique<FleetSender>(s, *state.connections[static_cast<std::size_t>(s)].socket, state.layout, o,
                                                         state.control, *state.progress));
    for (int q = 0; q < o.queriers; ++q)
        state.queriers.push_back(std::make_unique<FleetQuerier>(q, *state.connections[static_cast<std::size_t>(state.layout.querierServer(q))].socket,
                                                           o, state.control, state.requests[static_cast<std::size_t>(q)]));
    for (int r = 0; r < readers; ++r)
    {
        std::vector<FleetConnection*> share;
        for (std::size_t i = static_cast<std::size_t>(r); i < state.connections.size(); i += static_cast<std::size_t>(readers))
            share.push_back(&state.connections[i]);
        state.readers.push_back(std::make_unique<FleetReader>(r, std::move(share), state.layout, o, state.control, *state.progress, state.senders,
                                                         state.queriers, state.requests));
    }

    state.threads = std::make_unique<WorkerThreads>(latch, [&state] { state.stopAll(); });
    for (int r = 0; r < readers; ++r)
        state.threads->spawn("reader " + std::to_string(r + 1), [&reader = *state.readers[static_cast<std::size_t>(r)]] { reader.run(); });
    for (int s = 0; s < o.senders; ++s)
        state.threads->spawn("sender " + std::to_string(s + 1) + " (" + msgServerName(s, o.servers) + ")",
                             [&sender = *state.senders[static_cast<std::size_t>(s)]] { sender.run(); });
    for (int q = 0; q < o.queriers; ++q)
        state.threads->spawn("querier " + std::to_string(q + 1) + " (" + msgServerName(state.layout.querierServer(q), o.servers) + ")",
                             [&querier = *state.queriers[static_cast<std::size_t>(q)]] { querier.run(); });
}

MsgServerFleet::~MsgServerFleet()
{
    state_->stopThreads();
}

void MsgServerFleet::logOff()
{
    State& state = *state_;
    state.stopThreads(); // from here on this thread alone reads and writes the connections
    if (!state.options.speaksProtocol)
        return;
    for (FleetConnection& connection : state.connections)
        inContext(msgServerName(connection.index, state.options.servers), [&] {
            connection.socket->sendAll(statusUpdate(kFleetUserBase + static_cast<std::uint32_t>(connection.index), false,
                                                    !state.layout.onPc(connection.index)) +
                                       statusRequest(kFleetGoodbyeSeq, {}));
        });
    const auto deadline = Clock::now() + std::chrono::seconds(30);
    for (FleetConnection& connection : state.connections)
        inContext(msgServerName(connection.index, state.options.servers), [&] { awaitAnswer(connection, kFleetGoodbyeSeq, deadline); });
}

void MsgServerFleet::beginPhase(int phase)
{
    if (phase < 0 || phase >= kPhases)
        throw std::invalid_argument("no phase " + std::to_string(phase));
    state_->control.phase.store(static_cast<std::uint32_t>(phase), std::memory_order_release);
}

void MsgServerFleet::startRelay()
{
    state_->switchOn(state_->control.relay);
}

double MsgServerFleet::stopRelay()
{
    State& state = *state_;
    return state.switchOff(state.control.relay, state.senders, [&state] { return state.delivered() >= state.expectedCopies(); });
}

void MsgServerFleet::startQueries()
{
    state_->switchOn(state_->control.queries);
}

double MsgServerFleet::stopQueries()
{
    State& state = *state_;
    return state.switchOff(state.control.queries, state.queriers, [&state] { return state.unanswered() == 0; });
}

std::uint32_t MsgServerFleet::statusOf(std::uint32_t id) const
{
    return state_->layout.statusOf(id);
}

FleetTally MsgServerFleet::tally(int phase) const
{
    if (phase < 0 || phase >= kPhases)
        throw std::invalid_argument("no phase " + std::to_string(phase));
    const State& state = *state_;
    FleetTally tally;
    for (const auto& sender : state.senders)
        tally.messages += sender->sentIn(phase);
    tally.expected = tally.messages * state.layout.copies();
    for (const auto& querier : state.queriers)
        tally.queries += querier->sentIn(phase);
    for (const auto& reader : state.readers)
        reader->addTo(tally, phase);
    return tally;
}

} // namespace ttbench
