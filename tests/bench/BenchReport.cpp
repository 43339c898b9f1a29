#include "BenchReport.h"

#include "BaselineForwarder.h"
#include "ChurnBench.h"
#include "CpuMeter.h"
#include "DescriptorLimit.h"
#include "FailureLatch.h"
#include "PresenceBench.h"
#include "ProcessStats.h"
#include "QueryBench.h"
#include "RelayBench.h"
#include "ScaleBench.h"
#include "SoakBench.h"
#include "StormBench.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace ttbench
{
namespace
{

std::string fixed(double value, int decimals)
{
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", decimals, value);
    return text;
}

std::string millis(std::int64_t nanoseconds)
{
    return fixed(static_cast<double>(nanoseconds) / 1e6, 3) + " ms";
}

double median(std::vector<double> values)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

struct RelayRun
{
    RelayResult result;
    std::optional<double> cpuSeconds;

    double rate() const { return static_cast<double>(result.delivered) / result.seconds; }
};

RelayOptions relayOptions(const BenchOptions& options)
{
    RelayOptions relay;
    relay.senders = options.senders;
    relay.receivers = options.receivers;
    relay.bodyBytes = options.bodyBytes;
    relay.window = options.window;
    relay.batch = options.batch;
    relay.seconds = options.seconds;
    relay.rate = options.rate;
    relay.targeted = options.targeted;
    return relay;
}

void printRelay(std::ostream& out, const std::string& label, const RelayRun& run)
{
    const RelayResult& r = run.result;
    out << label << ": " << fixed(run.rate(), 0) << " PDUs/s delivered, " << fixed(static_cast<double>(r.deliveredBytes) / r.seconds / 1e6, 1)
        << " MB/s; latency p50 " << millis(r.latency.percentile(0.5)) << ", p90 " << millis(r.latency.percentile(0.9)) << ", p99 "
        << millis(r.latency.percentile(0.99)) << ", p99.9 " << millis(r.latency.percentile(0.999)) << "; sent " << r.sent << ", delivered "
        << r.delivered << " of " << r.expected << ", lost " << r.lost() << ", out of order " << r.outOfOrder;
    if (r.corrupted > 0)
        out << ", corrupted " << r.corrupted;
    if (run.cpuSeconds)
        out << "; CPU " << fixed(*run.cpuSeconds / (static_cast<double>(r.delivered) / 1e6), 3) << " s per million delivered";
    out << "\n";
}

RelayRun measureBaseline(const RelayOptions& shape)
{
    BaselineForwarder forwarder;
    RelayOptions relay = shape;
    relay.server = forwarder.address();
    relay.targeted = false;
    relay.awaitAccepted = [&forwarder](int connections) {
        while (forwarder.connections() < connections)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
    };
    const double before = forwarder.cpuSeconds();
    RelayRun run{runRelay(relay), std::nullopt};
    run.cpuSeconds = forwarder.cpuSeconds() - before;
    return run;
}

int runRelayMode(const BenchOptions& options, std::ostream& out)
{
    out << "relay: " << options.senders << " senders x " << options.receivers << " receivers, " << options.bodyBytes << "-byte bodies, window "
        << options.window << ", batch " << options.batch << ", " << (options.rate > 0 ? fixed(options.rate, 0) + " PDUs/s paced" : "unpaced")
        << ", " << options.seconds << " s" << (options.targeted ? ", targeted" : "") << "\n";
    std::vector<double> rates, baselineRates, ratios, p99s;
    bool clean = true;
    for (int i = 1; i <= options.runs; ++i)
    {
        const std::string suffix = options.runs > 1 ? " " + std::to_string(i) : "";
        std::optional<RelayRun> baseline;
        if (options.baseline)
        {
            baseline = measureBaseline(relayOptions(options));
            printRelay(out, "baseline" + suffix, *baseline);
            baselineRates.push_back(baseline->rate());
            clean = clean && baseline->result.lost() == 0;
        }
        if (!options.hasServer)
            continue;
        RelayOptions relay = relayOptions(options);
        relay.server = options.server;
        CpuMeter cpu(options.serverPid);
        cpu.start();
        RelayRun run{runRelay(relay), std::nullopt};
        run.cpuSeconds = cpu.stop();
        printRelay(out, "server" + suffix, run);
        rates.push_back(run.rate());
        p99s.push_back(static_cast<double>(run.result.latency.percentile(0.99)));
        clean = clean && run.result.lost() == 0 && run.result.outOfOrder == 0;
        if (baseline)
        {
            ratios.push_back(run.rate() / baseline->rate());
            out << "ratio" << suffix << ": " << fixed(ratios.back(), 2) << " of the baseline\n";
        }
    }
    if (options.runs > 1)
    {
        out << "median of " << options.runs << ":";
        if (!baselineRates.empty())
            out << " baseline " << fixed(median(baselineRates), 0) << " PDUs/s;";
        if (!rates.empty())
            out << " server " << fixed(median(rates), 0) << " PDUs/s, p99 " << millis(static_cast<std::int64_t>(median(p99s))) << ";";
        if (!ratios.empty())
            out << " ratio " << fixed(median(ratios), 2);
        out << "\n";
    }
    return clean ? 0 : 1;
}

/// The machine's speed right now, for modes that have no baseline of their own: the relay
/// baseline in its standard shape (2 x 2, 200-byte bodies, window 512).
void printYardstick(std::ostream& out, const BenchOptions& options)
{
    RelayOptions shape;
    shape.seconds = std::min(options.seconds, 3.0);
    printRelay(out, "machine yardstick (baseline forwarder, relay 2x2)", measureBaseline(shape));
}

int runModesMode(const BenchOptions& options, std::ostream& out)
{
    if (!options.hasTargetedServer)
        throw std::invalid_argument("modes needs --port (a server in broadcast mode) and --targeted-port (one in targeted mode)");
    BenchOptions shape = options;
    if (options.senders == BenchOptions().senders && options.receivers == BenchOptions().receivers)
        shape.senders = shape.receivers = 4;
    out << "relay modes: " << shape.senders << " senders x " << shape.receivers << " receivers (" << shape.senders + shape.receivers
        << " msg servers, one user each, every message to one receiver's user), " << shape.bodyBytes << "-byte bodies, window "
        << shape.window << ", " << shape.seconds << " s\n";
    bool clean = true;
    struct Row
    {
        const char* mode;
        Poco::Net::SocketAddress server;
        pid_t pid;
        bool targeted;
    };
    const Row rows[] = {{"broadcast", options.server, options.serverPid, false}, {"targeted", options.targetedServer, options.targetedServerPid, true}};
    for (int i = 1; i <= options.runs; ++i)
        for (const Row& row : rows)
        {
            RelayOptions relay = relayOptions(shape);
            relay.server = row.server;
            relay.targeted = row.targeted;
            CpuMeter cpu(row.pid);
            cpu.start();
            const RelayResult result = runRelay(relay);
            const auto cpuSeconds = cpu.stop();
            clean = clean && result.lost() == 0 && result.outOfOrder == 0;
            const double messages = static_cast<double>(result.sent);
            out << row.mode << (options.runs > 1 ? " " + std::to_string(i) : "") << ": " << fixed(messages / result.seconds, 0)
                << " messages/s, " << fixed(static_cast<double>(result.delivered) / result.seconds, 0) << " PDUs delivered/s";
            if (cpuSeconds)
                out << "; server CPU " << fixed(*cpuSeconds / (messages / 1e6), 3) << " s per million messages, "
                    << fixed(*cpuSeconds / (static_cast<double>(result.delivered) / 1e6), 3) << " s per million delivered";
            out << "; p99 " << millis(result.latency.percentile(0.99)) << ", lost " << result.lost() << "\n";
        }
    return clean ? 0 : 1;
}

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
    bool clean = true;
    for (int i = 1; i <= options.runs; ++i)
    {
        if (options.baseline)
            printYardstick(out, options);
        CpuMeter cpu(options.serverPid);
        cpu.start();
        const QueryResult result = runQuery(query);
        const auto cpuSeconds = cpu.stop();
        const double rate = static_cast<double>(result.queries) / result.seconds;
        rates.push_back(rate);
        clean = clean && result.wrongAnswers == 0;
        out << "run " << i << ": " << fixed(rate, 0) << " queries/s (" << fixed(rate * options.ids / 1e6, 2) << " M ids/s); latency p50 "
            << millis(result.latency.percentile(0.5)) << ", p99 " << millis(result.latency.percentile(0.99)) << ", p99.9 "
            << millis(result.latency.percentile(0.999)) << "; wrong answers " << result.wrongAnswers;
        if (cpuSeconds)
            out << "; CPU " << fixed(*cpuSeconds / (static_cast<double>(result.queries) / 1e6), 3) << " s per million queries";
        out << "\n";
    }
    if (options.runs > 1)
        out << "median of " << options.runs << ": " << fixed(median(rates), 0) << " queries/s\n";
    return clean ? 0 : 1;
}

int runPresenceMode(const BenchOptions& options, std::ostream& out)
{
    PresenceOptions presence;
    presence.server = options.server;
    presence.users = options.users;
    presence.serverPid = options.serverPid;
    presence.graceSeconds = options.graceSeconds;
    out << "presence: " << options.users << " single-device users on one connection\n";
    bool clean = true;
    for (int i = 1; i <= options.runs; ++i)
    {
        const PresenceResult result = runPresence(presence);
        clean = clean && result.wrongAnswers == 0;
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
    }
    return clean ? 0 : 1;
}

int runChurnMode(const BenchOptions& options, std::ostream& out)
{
    ChurnOptions churn;
    churn.server = options.server;
    churn.cycles = options.cycles;
    churn.usersPerCycle = options.users == BenchOptions().users ? 10 : options.users;
    churn.serverPid = options.serverPid;
    out << "churn: " << churn.cycles << " cycles of connect, register " << churn.usersPerCycle << " users, query, close\n";
    bool clean = true;
    for (int i = 1; i <= options.runs; ++i)
    {
        const ChurnResult result = runChurn(churn);
        clean = clean && result.failures == 0;
        out << "run " << i << ": " << fixed(result.cycles / result.seconds, 0) << " cycles/s, failures " << result.failures;
        if (options.serverPid > 0)
            out << "; server descriptors " << (result.fdGrowth >= 0 ? "+" : "") << result.fdGrowth << ", RSS "
                << (result.rssGrowthBytes >= 0 ? "+" : "") << fixed(static_cast<double>(result.rssGrowthBytes) / 1e6, 1) << " MB";
        out << "\n";
    }
    return clean ? 0 : 1;
}

int runSoakMode(const BenchOptions& options, std::ostream& out)
{
    SoakOptions soak;
    soak.relay = relayOptions(options);
    soak.relay.server = options.server;
    soak.churnUsers = options.users == BenchOptions().users ? 1000 : options.users;
    out << "soak: relay " << options.senders << " x " << options.receivers << " checked byte for byte, with " << soak.churnUsers
        << " users logging in and out and status queries alongside, " << options.seconds << " s\n";
    bool clean = true;
    for (int i = 1; i <= options.runs; ++i)
    {
        const SoakResult result = runSoak(soak);
        const RelayResult& r = result.relay;
        clean = clean && r.lost() == 0 && r.outOfOrder == 0 && r.corrupted == 0 && result.wrongAnswers == 0;
        printRelay(out, "run " + std::to_string(i), RelayRun{r, std::nullopt});
        out << "run " << i << " alongside: " << result.presenceUpdates << " presence updates, " << result.queries
            << " status queries, wrong answers " << result.wrongAnswers << "; corrupted " << r.corrupted << "\n";
    }
    return clean ? 0 : 1;
}

std::string perMillion(double cpuSeconds, double count)
{
    return count > 0 ? fixed(cpuSeconds / (count / 1e6), 3) : std::string("-");
}

/// CPU seconds per million delivered PDUs of a point, when it was measured.
std::optional<double> cpuPerMillionDelivered(const ScaleResult& result)
{
    if (!result.relayCpu || result.relay.delivered == 0)
        return std::nullopt;
    return *result.relayCpu / (static_cast<double>(result.relay.delivered) / 1e6);
}

/// One line per point: `label` is "baseline broadcast", "broadcast", "baseline targeted" or
/// "targeted"; a server's point is quoted beside the baseline of its pattern, when measured.
void printScalePoint(std::ostream& out, int servers, const std::string& label, const ScaleResult& result, const ScaleResult* baseline)
{
    const bool isBaseline = label.rfind("baseline", 0) == 0;
    const FleetTally& relay = result.relay;
    const double messages = static_cast<double>(relay.messages) / result.relaySeconds;
    const double delivered = static_cast<double>(relay.delivered) / result.relaySeconds;
    out << "N=" << servers << " " << label << ": " << fixed(messages, 0) << " messages/s, " << fixed(delivered, 0) << " PDUs delivered/s";
    if (baseline)
    {
        const double baseDelivered = static_cast<double>(baseline->relay.delivered) / baseline->relaySeconds;
        const double baseMessages = static_cast<double>(baseline->relay.messages) / baseline->relaySeconds;
        out << " (" << fixed(delivered / baseDelivered, 2) << " of the baseline's PDUs/s, " << fixed(messages / baseMessages, 2)
            << " of its messages/s)";
    }
    out << "; relay p50 " << millis(relay.relayLatency.percentile(0.5)) << ", p99 " << millis(relay.relayLatency.percentile(0.99));
    if (result.relayCpu)
    {
        out << "; " << (isBaseline ? "forwarder" : "server") << " CPU " << perMillion(*result.relayCpu, static_cast<double>(relay.delivered))
            << " s per million delivered, " << perMillion(*result.relayCpu, static_cast<double>(relay.messages)) << " s per million messages";
        const auto mine = cpuPerMillionDelivered(result);
        const auto theirs = baseline ? cpuPerMillionDelivered(*baseline) : std::nullopt;
        if (mine && theirs && *theirs > 0)
            out << " (" << fixed(*mine / *theirs, 2) << " x the baseline's per delivered)";
    }
    if (result.relayWrites && *result.relayWrites > 0)
        out << "; " << fixed(static_cast<double>(relay.delivered) / static_cast<double>(*result.relayWrites), 2) << " PDUs per write";
    if (result.queries.queries > 0)
    {
        const FleetTally& q = result.queries;
        out << "; queries " << fixed(static_cast<double>(q.answers) / result.querySeconds, 0) << "/s, p50 " << millis(q.queryLatency.percentile(0.5))
            << ", p99 " << millis(q.queryLatency.percentile(0.99));
        if (result.queryCpu)
            out << ", server CPU " << perMillion(*result.queryCpu, static_cast<double>(q.answers)) << " s per million queries";
    }
    out << "; lost " << relay.lost() << ", out of order " << relay.outOfOrder << ", misdelivered " << relay.misdelivered;
    if (!isBaseline)
        out << ", unanswered " << result.queries.unanswered() << ", wrong answers " << result.queries.wrongAnswers;
    if (result.openFilesLeft && *result.openFilesLeft > 0)
        out << "; the server still held " << *result.openFilesLeft << " more descriptors 10 s after the fleet closed";
    out << "\n";
}

/// "N=10 0.361 s; N=100 1.612 s; ... x15.9 from N=10 to N=1000", for CPU per million delivered by N.
std::string growthOf(const std::vector<std::pair<int, double>>& points)
{
    std::string text;
    for (const auto& [servers, cpu] : points)
        text += " N=" + std::to_string(servers) + " " + fixed(cpu, 3) + " s;";
    const double growth = points.front().second > 0 ? points.back().second / points.front().second : 0;
    return text + " x" + fixed(growth, 2) + " from N=" + std::to_string(points.front().first) + " to N=" + std::to_string(points.back().first);
}

int runScaleMode(const BenchOptions& options, std::ostream& out)
{
    if (!options.hasTargetedServer)
        throw std::invalid_argument("scale needs --port (a server in broadcast mode) and --targeted-port (one in targeted mode)");
    ScaleOptions shape;
    shape.senders = options.isGiven("senders") ? options.senders : 4;
    shape.queriers = options.connections;
    shape.bodyBytes = options.bodyBytes;
    shape.window = options.window;
    shape.batch = options.batch;
    shape.ids = options.ids;
    shape.relaySeconds = options.seconds;
    shape.querySeconds = std::max(0.2, options.seconds / 5);
    const int largest = *std::max_element(options.servers.begin(), options.servers.end());
    // This process holds every connection's end, and with --baseline the forwarder's too.
    ensureDescriptors(static_cast<std::uint64_t>(largest) * (options.baseline ? 2 : 1) + 64,
                      "--servers=" + std::to_string(largest) + (options.baseline ? " with --baseline" : ""));
    out << "scale: N msg servers, one user each; " << shape.senders << " of them send MSG_DATA (" << shape.bodyBytes << "-byte bodies, window "
        << shape.window << " messages each, batch " << shape.batch << "), each message to the next other msg server's user, "
        << shape.relaySeconds << " s; then " << shape.queriers << " of them query " << shape.ids << " ids (16 outstanding each), "
        << shape.querySeconds << " s";
    if (options.baseline)
        out << "; before each mode, the baseline forwarder in its pattern (broadcast: every frame to every other connection; targeted: each "
               "message to its addressee's connection only, one write per destination of a read)";
    out << "\n";
    struct Row
    {
        const char* mode;
        Poco::Net::SocketAddress server;
        pid_t pid;
        bool targeted;
    };
    const Row rows[] = {{"broadcast", options.server, options.serverPid, false}, {"targeted", options.targetedServer, options.targetedServerPid, true}};
    // By mode: (N, CPU s per million delivered), of the server and of the baseline.
    std::map<std::string, std::vector<std::pair<int, double>>> serverCpu, baselineCpu;
    bool clean = true;
    for (const int servers : options.servers)
    {
        const std::string point = "N=" + std::to_string(servers);
        for (const Row& row : rows)
        {
            ScaleOptions scale = shape;
            scale.servers = servers;
            scale.targeted = row.targeted;
            std::optional<ScaleResult> baseline;
            if (options.baseline)
            {
                ScaleOptions forwarder = scale;
                forwarder.baseline = true;
                const std::string label = std::string("baseline ") + row.mode;
                baseline = inContext(point + " " + label, [&] { return runScalePoint(forwarder); });
                printScalePoint(out, servers, label, *baseline, nullptr);
                clean = clean && baseline->relay.clean();
                if (const auto cpu = cpuPerMillionDelivered(*baseline))
                    baselineCpu[row.mode].emplace_back(servers, *cpu);
            }
            scale.server = row.server;
            scale.serverPid = row.pid;
            const ScaleResult result = inContext(point + " " + row.mode, [&] { return runScalePoint(scale); });
            printScalePoint(out, servers, row.mode, result, baseline ? &*baseline : nullptr);
            clean = clean && result.relay.clean() && result.queries.clean() && result.openFilesLeft.value_or(0) <= 0;
            if (const auto cpu = cpuPerMillionDelivered(result))
                serverCpu[row.mode].emplace_back(servers, *cpu);
            out.flush();
        }
    }
    // How the cost per delivered PDU moves with N: flat is what scaling well looks like, and
    // the baseline says how much of any growth is the kernel's (more, smaller writes).
    for (const Row& row : rows)
    {
        const auto& server = serverCpu[row.mode];
        const auto& base = baselineCpu[row.mode];
        if (server.size() < 2)
            continue;
        const double growth = server.front().second > 0 ? server.back().second / server.front().second : 0;
        out << row.mode << " server CPU per million delivered PDUs:" << growthOf(server)
            << (growth > 2 ? " (more than 2x: the server's cost per PDU grows with the number of msg servers)" : "") << "\n";
        if (base.size() != server.size())
            continue;
        out << row.mode << " baseline forwarder CPU per million delivered PDUs:" << growthOf(base) << "\n";
        out << row.mode << " server / baseline CPU per delivered PDU:";
        for (std::size_t i = 0; i < server.size(); ++i)
            out << " N=" << server[i].first << " " << (base[i].second > 0 ? fixed(server[i].second / base[i].second, 2) : std::string("-")) << ";";
        out << "\n";
    }
    return clean ? 0 : 1;
}

std::string megabytes(std::uint64_t bytes)
{
    return fixed(static_cast<double>(bytes) / 1e6, 1) + " MB";
}

void printStormPhase(std::ostream& out, const std::string& label, const FleetTally& tally)
{
    out << label << ": relay " << tally.messages << " messages, p50 " << millis(tally.relayLatency.percentile(0.5)) << ", p99 "
        << millis(tally.relayLatency.percentile(0.99)) << ", max " << millis(tally.relayLatency.percentile(1.0)) << "; queries " << tally.answers
        << ", p50 " << millis(tally.queryLatency.percentile(0.5)) << ", p99 " << millis(tally.queryLatency.percentile(0.99)) << ", max "
        << millis(tally.queryLatency.percentile(1.0)) << "; lost " << tally.lost() << ", out of order " << tally.outOfOrder << ", misdelivered "
        << tally.misdelivered << ", unanswered " << tally.unanswered() << ", wrong answers " << tally.wrongAnswers << "\n";
}

int runStormMode(const BenchOptions& options, std::ostream& out)
{
    StormOptions storm;
    storm.server = options.server;
    storm.serverPid = options.serverPid;
    storm.targeted = options.targeted;
    storm.connections = options.isGiven("connections") ? options.connections : 2000;
    storm.senders = options.senders;
    storm.receivers = options.receivers;
    storm.bodyBytes = options.bodyBytes;
    storm.rate = options.isGiven("rate") ? options.rate : 1000;
    storm.queryRate = options.isGiven("query-rate") ? options.queryRate : 500;
    storm.ids = options.ids;
    storm.beforeSeconds = options.seconds;
    ensureDescriptors(static_cast<std::uint64_t>(storm.connections) + 64, "--connections=" + std::to_string(storm.connections));
    out << "storm: " << storm.senders << " senders relaying " << fixed(storm.rate, 0) << " messages/s to " << storm.receivers << " receivers ("
        << (storm.targeted ? "targeted" : "broadcast") << "), 1 querier asking " << fixed(storm.queryRate, 0) << " queries/s of " << storm.ids
        << " ids; after " << storm.beforeSeconds << " s, " << storm.connections << " new connections within " << fixed(storm.openSeconds, 0)
        << " s, each asking one status query\n";
    bool clean = true;
    for (int i = 1; i <= options.runs; ++i)
    {
        const StormResult result = runStorm(storm);
        const StormOutcome& s = result.storm;
        const std::string run = options.runs > 1 ? " " + std::to_string(i) : "";
        printStormPhase(out, "before the storm" + run, result.before);
        out << "storm" << run << ": opened " << s.opened << " in " << fixed(s.openSeconds, 3) << " s; answered (served) " << s.answered
            << ", closed (refused) " << s.closed << " (" << s.refusedAtConnect << " of them at connect), hung " << s.hung << ", wrong answers "
            << s.wrongAnswers << "; connect to answer p50 " << millis(s.toAnswer.percentile(0.5)) << ", p99 " << millis(s.toAnswer.percentile(0.99))
            << "; connect to close p50 " << millis(s.toClose.percentile(0.5)) << ", p99 " << millis(s.toClose.percentile(0.99)) << "; longest "
            << millis(s.longestNs) << "; all settled " << fixed(s.settledSeconds, 3) << " s after the first connect";
        out << "; served, then closed by the server " << s.droppedAfterAnswer << " (made room for newer ones)";
        out << "\n";
        printStormPhase(out, "during the storm" + run, result.during);
        printStormPhase(out, "closing them all at once" + run, result.closing);
        printStormPhase(out, "while their threads end" + run, result.settling);
        if (result.serverBefore && result.serverOpen && result.serverAfter && result.serverSettled)
        {
            const ServerSnapshot& before = *result.serverBefore;
            out << "server" << run << ": descriptors " << before.openFiles << " before, " << result.serverOpen->openFiles
                << " with the storm's served connections open, " << result.serverAfter->openFiles << " after closing them";
            if (result.descriptorsBackSeconds >= 0)
                out << " (back " << fixed(result.descriptorsBackSeconds, 3) << " s after the close)";
            else
                out << " (NOT back 10 s after the close)";
            out << "; threads " << before.threads << " before, " << result.serverOpen->threads << " open, " << result.serverSettled->threads;
            if (result.threadsBackSeconds >= 0)
                out << " after (back " << fixed(result.threadsBackSeconds, 3) << " s after the close)";
            else
                out << " (NOT back " << fixed(storm.settleSeconds, 0) << " s after the close)";
            out << "; RSS " << megabytes(before.rssBytes) << " before, " << megabytes(result.serverOpen->rssBytes) << " open, "
                << megabytes(result.serverAfter->rssBytes) << " when the descriptors were back, " << megabytes(result.serverSettled->rssBytes)
                << " once the threads were (" << (result.serverSettled->rssBytes >= before.rssBytes ? "+" : "-")
                << megabytes(result.serverSettled->rssBytes >= before.rssBytes ? result.serverSettled->rssBytes - before.rssBytes
                                                                              : before.rssBytes - result.serverSettled->rssBytes)
                << " on before)\n";
        }
        clean = clean && result.clean();
    }
    return clean ? 0 : 1;
}

} // namespace

int runBench(const BenchOptions& options, std::ostream& out)
{
    if (options.mode == "relay")
    {
        if (!options.hasServer && !options.baseline)
            throw std::invalid_argument("relay needs --port (or --baseline alone)");
        return runRelayMode(options, out);
    }
    if (!options.hasServer)
        throw std::invalid_argument(options.mode + " needs --port");
    if (options.mode == "modes")
        return runModesMode(options, out);
    if (options.mode == "query")
        return runQueryMode(options, out);
    if (options.mode == "presence")
        return runPresenceMode(options, out);
    if (options.mode == "churn")
        return runChurnMode(options, out);
    if (options.mode == "soak")
        return runSoakMode(options, out);
    if (options.mode == "scale")
        return runScaleMode(options, out);
    if (options.mode == "storm")
        return runStormMode(options, out);
    throw std::invalid_argument("unknown mode '" + options.mode + "'");
}

} // namespace ttbench
