// The storm mode's report: the established connections' traffic before, during and after a
// storm of new connections, how the storm was served, and what it left in the server.
#include "StormReport.h"

#include "DescriptorLimit.h"
#include "EveryRun.h"
#include "ReportFormat.h"
#include "StormBench.h"

#include <string>

namespace ttbench
{
namespace
{

/// A size in bytes as megabytes: "12.3 MB".
std::string megabytes(std::uint64_t bytes)
{
    return fixed(static_cast<double>(bytes) / 1e6, 1) + " MB";
}

/// One line of what the established connections saw in one phase of the run.
void printStormPhase(std::ostream& out, const std::string& label, const FleetTally& tally)
{
    out << label << ": relay " << tally.messages << " messages, p50 " << millis(tally.relayLatency.percentile(0.5)) << ", p99 "
        << millis(tally.relayLatency.percentile(0.99)) << ", max " << millis(tally.relayLatency.percentile(1.0)) << "; queries " << tally.answers
        << ", p50 " << millis(tally.queryLatency.percentile(0.5)) << ", p99 " << millis(tally.queryLatency.percentile(0.99)) << ", max "
        << millis(tally.queryLatency.percentile(1.0)) << "; lost " << tally.lost() << ", out of order " << tally.outOfOrder << ", misdelivered "
        << tally.misdelivered << ", unanswered " << tally.unanswered() << ", wrong answers " << tally.wrongAnswers << "\n";
}

} // namespace

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
    return everyRun(options.runs, [&](int i) {
        const StormResult result = runStorm(storm);
        const StormOutcome& s = result.storm;
        const std::string run = runSuffix(options.runs, i);
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
        return result.clean();
    });
}

} // namespace ttbench
