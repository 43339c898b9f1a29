// The reports of the modes about who is online: query (status queries), presence (users
// registered and dropped in bulk) and churn (msg servers coming and going).
#include "PresenceReport.h"

#include "ChurnBench.h"
#include "CpuMeter.h"
#include "EveryRun.h"
#include "PresenceBench.h"
#include "QueryBench.h"
#include "RelayReport.h"
#include "ReportFormat.h"

#include <string>
#include <vector>

namespace ttbench
{

int runQueryMode(const BenchOptions& options, std::ostream& out)
{
    QueryOptions query;
    query.server = options.server;
    query.users = options.users;
    query.connections = options.connections;
    query.ids = options.ids;
    query.window = static_cast<std::uint32_t>(options.window);
    query.seconds = options.seconds;
    out << "query: " << options.users << " users, " << options.connections << " connections x window " << options.window << " of "
        << options.ids << " ids, " << options.seconds << " s\n";
    std::vector<double> rates;
    const int status = everyRun(options.runs, [&](int i) {
        if (options.baseline)
            printYardstick(out, options);
        CpuMeter cpu(options.serverPid);
        cpu.start();
        const QueryResult result = runQuery(query);
        const auto cpuSeconds = cpu.stop();
        const double rate = static_cast<double>(result.queries) / result.seconds;
        rates.push_back(rate);
        out << "run " << i << ": " << fixed(rate, 0) << " queries/s (" << fixed(rate * options.ids / 1e6, 2) << " M ids/s); latency p50 "
            << millis(result.latency.percentile(0.5)) << ", p99 " << millis(result.latency.percentile(0.99)) << ", p99.9 "
            << millis(result.latency.percentile(0.999)) << "; wrong answers " << result.wrongAnswers;
        if (cpuSeconds)
            out << "; CPU " << fixed(*cpuSeconds / (static_cast<double>(result.queries) / 1e6), 3) << " s per million queries";
        out << "\n";
        return result.wrongAnswers == 0;
    });
    if (options.runs > 1)
        out << "median of " << options.runs << ": " << fixed(median(rates), 0) << " queries/s\n";
    return status;
}

int runPresenceMode(const BenchOptions& options, std::ostream& out)
{
    PresenceOptions presence;
    presence.server = options.server;
    presence.users = options.users;
    presence.serverPid = options.serverPid;
    presence.graceSeconds = options.graceSeconds;
    out << "presence: " << options.users << " single-device users on one connection\n";
    return everyRun(options.runs, [&](int i) {
        const PresenceResult result = runPresence(presence);
        out << "run " << i << ": registered in " << fixed(result.registerSeconds, 3) << " s (longest routing stall elsewhere "
            << fixed(result.longestRegisterStallMs, 1) << " ms)";
        if (result.rssGrowthBytes >= 0)
            out << ", server RSS +" << fixed(static_cast<double>(result.rssGrowthBytes) / 1e6, 1) << " MB ("
                << fixed(static_cast<double>(result.rssGrowthBytes) / options.users, 1) << " bytes per user)";
        out << "; connection dropped: all offline after " << fixed(result.removeSeconds, 3) << " s, longest routing stall elsewhere "
            << fixed(result.longestStallMs, 1) << " ms";
        if (options.graceSeconds >= 0)
            out << "; announced offline after " << fixed(result.announceSeconds, 3) << " s (grace " << fixed(options.graceSeconds, 3)
                << " s; longest stall " << fixed(result.longestAnnounceStallMs, 1) << " ms); listed again: announced online after "
                << fixed(result.returnSeconds, 3) << " s (longest stall " << fixed(result.longestReturnStallMs, 1) << " ms)";
        out << "; wrong answers " << result.wrongAnswers << "\n";
        return result.wrongAnswers == 0;
    });
}

int runChurnMode(const BenchOptions& options, std::ostream& out)
{
    ChurnOptions churn;
    churn.server = options.server;
    churn.cycles = options.cycles;
    churn.usersPerCycle = options.users == BenchOptions().users ? 10 : options.users;
    churn.serverPid = options.serverPid;
    out << "churn: " << churn.cycles << " cycles of connect, register " << churn.usersPerCycle << " users, query, close\n";
    return everyRun(options.runs, [&](int i) {
        const ChurnResult result = runChurn(churn);
        out << "run " << i << ": " << fixed(result.cycles / result.seconds, 0) << " cycles/s, failures " << result.failures;
        if (options.serverPid > 0)
            out << "; server descriptors " << (result.fdGrowth >= 0 ? "+" : "") << result.fdGrowth << ", RSS "
                << (result.rssGrowthBytes >= 0 ? "+" : "") << fixed(static_cast<double>(result.rssGrowthBytes) / 1e6, 1) << " MB";
        out << "\n";
        return result.failures == 0;
    });
}

} // namespace ttbench
