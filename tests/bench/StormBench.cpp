#include "StormBench.h"

#include "FailureLatch.h"
#include "ProcessStats.h"

#include <chrono>
#include <utility>
#include <vector>

namespace ttbench
{
namespace
{

using Clock = std::chrono::steady_clock;

std::optional<ServerSnapshot> snapshot(pid_t pid)
{
    const auto stats = pid > 0 ? ProcessStats::of(pid) : std::nullopt;
    if (!stats)
        return std::nullopt;
    return ServerSnapshot{stats->openFiles, stats->rssBytes, stats->threads};
}

} // namespace

bool StormResult::clean() const
{
    const bool back = !serverBefore || (descriptorsBackSeconds >= 0 && threadsBackSeconds >= 0);
    return before.clean() && during.clean() && closing.clean() && settling.clean() && storm.hung == 0 && storm.wrongAnswers == 0 && back;
}

StormResult runStorm(const StormOptions& options)
{
    StormResult result;
    FailureLatch latch;
    FleetOptions shape;
    shape.server = options.server;
    shape.senders = options.senders;
    shape.receivers = options.receivers;
    shape.queriers = 1;
    shape.servers = options.senders + options.receivers + 1;
    shape.targeted = options.targeted;
    shape.bodyBytes = options.bodyBytes;
    shape.rate = options.rate;
    shape.queryRate = options.queryRate;
    shape.ids = options.ids;
    shape.readers = 1;
    MsgServerFleet fleet(shape, latch);

    // Every storm connection asks about the established users and one nobody has.
    std::vector<std::pair<std::uint32_t, std::uint32_t>> expected;
    for (int server = 0; server <= shape.servers; ++server)
        expected.emplace_back(MsgServerFleet::userOf(server), fleet.statusOf(MsgServerFleet::userOf(server)));
    ConnectionStorm storm(options.server, options.connections, std::move(expected));

    fleet.beginPhase(0);
    fleet.startRelay();
    fleet.startQueries();
    latch.waitFor(options.beforeSeconds);
    latch.rethrowIfFailed();
    // Taken now, not at connect: the server sets each connection up on its own thread.
    result.serverBefore = snapshot(options.serverPid);

    fleet.beginPhase(1);
    result.storm = storm.run(options.openSeconds, options.hangSeconds, latch);
    latch.rethrowIfFailed();
    result.serverOpen = snapshot(options.serverPid);

    // All at once: the server must retire hundreds of connections while it keeps routing.
    fleet.beginPhase(2);
    const auto closed = Clock::now();
    storm.closeAll();
    if (result.serverBefore)
    {
        const auto back = ProcessStats::awaitOpenFiles(options.serverPid, result.serverBefore->openFiles, 10);
        if (back && back->openFiles <= result.serverBefore->openFiles)
            result.descriptorsBackSeconds = std::chrono::duration<double>(Clock::now() - closed).count();
    }
    // Some of the established traffic must be sent while they close, even when that is quick.
    latch.waitFor(std::max(0.0, 0.5 - std::chrono::duration<double>(Clock::now() - closed).count()));
    result.serverAfter = snapshot(options.serverPid);

    // The server ends a connection's thread a few seconds after the connection, and hands
    // what the threads freed back to the system: only then is its memory where it was.
    fleet.beginPhase(3);
    const auto settling = Clock::now();
    if (result.serverBefore)
    {
        const auto back = ProcessStats::awaitThreads(options.serverPid, result.serverBefore->threads, options.settleSeconds);
        if (back && back->threads <= result.serverBefore->threads)
            result.threadsBackSeconds = std::chrono::duration<double>(Clock::now() - closed).count();
    }
    // At least half a second of established traffic in this phase, and time for the
    // housekeeping round that ended the threads to return their memory (malloc_trim).
    latch.waitFor(std::max(0.0, 0.5 - std::chrono::duration<double>(Clock::now() - settling).count()));
    result.serverSettled = snapshot(options.serverPid);

    fleet.stopRelay();
    fleet.stopQueries();
    latch.rethrowIfFailed();
    result.before = fleet.tally(0);
    result.during = fleet.tally(1);
    result.closing = fleet.tally(2);
    result.settling = fleet.tally(3);
    fleet.logOff();
    return result;
}

} // namespace ttbench
