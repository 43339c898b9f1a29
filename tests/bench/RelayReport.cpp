// The reports of the modes that relay MSG_DATA with RelayBench: relay, modes and soak, and the
// machine yardstick (the baseline forwarder) that other modes print beside their figures.
#include "RelayReport.h"

#include "BaselineForwarder.h"
#include "CpuMeter.h"
#include "EveryRun.h"
#include "ModeServers.h"
#include "RelayBench.h"
#include "ReportFormat.h"
#include "SoakBench.h"

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace ttbench
{
namespace
{

/// One relay run and the CPU the relaying process spent on it, when measured.
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

} // namespace

int runRelayMode(const BenchOptions& options, std::ostream& out)
{
    out << "relay: " << options.senders << " senders x " << options.receivers << " receivers, " << options.bodyBytes << "-byte bodies, window "
        << options.window << ", batch " << options.batch << ", " << (options.rate > 0 ? fixed(options.rate, 0) + " PDUs/s paced" : "unpaced")
        << ", " << options.seconds << " s" << (options.targeted ? ", targeted" : "") << "\n";
    std::vector<double> rates, baselineRates, ratios, p99s;
    const int status = everyRun(options.runs, [&](int i) {
        const std::string suffix = runSuffix(options.runs, i);
        bool clean = true;
        std::optional<RelayRun> baseline;
        if (options.baseline)
        {
            baseline = measureBaseline(relayOptions(options));
            printRelay(out, "baseline" + suffix, *baseline);
            baselineRates.push_back(baseline->rate());
            clean = baseline->result.lost() == 0;
        }
        if (!options.hasServer)
            return clean;
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
        return clean;
    });
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
    return status;
}

void printYardstick(std::ostream& out, const BenchOptions& options)
{
    RelayOptions shape;
    shape.seconds = std::min(options.seconds, 3.0);
    printRelay(out, "machine yardstick (baseline forwarder, relay 2x2)", measureBaseline(shape));
}

int runModesMode(const BenchOptions& options, std::ostream& out)
{
    const auto servers = modeServers(options, "modes");
    BenchOptions shape = options;
    if (options.senders == BenchOptions().senders && options.receivers == BenchOptions().receivers)
        shape.senders = shape.receivers = 4;
    out << "relay modes: " << shape.senders << " senders x " << shape.receivers << " receivers (" << shape.senders + shape.receivers
        << " msg servers, one user each, every message to one receiver's user), " << shape.bodyBytes << "-byte bodies, window "
        << shape.window << ", " << shape.seconds << " s\n";
    return everyRun(options.runs, [&](int i) {
        bool clean = true;
        for (const ModeServer& row : servers)
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
            out << row.mode << runSuffix(options.runs, i) << ": " << fixed(messages / result.seconds, 0) << " messages/s, "
                << fixed(static_cast<double>(result.delivered) / result.seconds, 0) << " PDUs delivered/s";
            if (cpuSeconds)
                out << "; server CPU " << fixed(*cpuSeconds / (messages / 1e6), 3) << " s per million messages, "
                    << fixed(*cpuSeconds / (static_cast<double>(result.delivered) / 1e6), 3) << " s per million delivered";
            out << "; p99 " << millis(result.latency.percentile(0.99)) << ", lost " << result.lost() << "\n";
        }
        return clean;
    });
}

int runSoakMode(const BenchOptions& options, std::ostream& out)
{
    SoakOptions soak;
    soak.relay = relayOptions(options);
    soak.relay.server = options.server;
    soak.churnUsers = options.users == BenchOptions().users ? 1000 : options.users;
    out << "soak: relay " << options.senders << " x " << options.receivers << " checked byte for byte, with " << soak.churnUsers
        << " users logging in and out and status queries alongside, " << options.seconds << " s\n";
    return everyRun(options.runs, [&](int i) {
        const SoakResult result = runSoak(soak);
        const RelayResult& r = result.relay;
        printRelay(out, "run " + std::to_string(i), RelayRun{r, std::nullopt});
        out << "run " << i << " alongside: " << result.presenceUpdates << " presence updates, " << result.queries
            << " status queries, wrong answers " << result.wrongAnswers << "; corrupted " << r.corrupted << "\n";
        return r.lost() == 0 && r.outOfOrder == 0 && r.corrupted == 0 && result.wrongAnswers == 0;
    });
}

} // namespace ttbench
