// The scale mode's report: relay and queries with N msg servers, per N and relay mode, beside
// the baseline forwarder in the same pattern, and how the cost per PDU grows with N.
#include "ScaleReport.h"

#include "DescriptorLimit.h"
#include "FailureLatch.h"
#include "ModeServers.h"
#include "ReportFormat.h"
#include "ScaleBench.h"

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ttbench
{
namespace
{

/// CPU seconds per million of `count`; "-" when there were none.
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

} // namespace

int runScaleMode(const BenchOptions& options, std::ostream& out)
{
    const auto rows = modeServers(options, "scale");
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
    // By mode: (N, CPU s per million delivered), of the server and of the baseline.
    std::map<std::string, std::vector<std::pair<int, double>>> serverCpu, baselineCpu;
    bool clean = true;
    for (const int servers : options.servers)
    {
        const std::string point = "N=" + std::to_string(servers);
        for (const ModeServer& row : rows)
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
    for (const ModeServer& row : rows)
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

} // namespace ttbench
