#include "ScaleBench.h"

#include "BaselineForwarder.h"
#include "CpuMeter.h"
#include "ProcessStats.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

namespace ttbench
{

ScaleResult runScalePoint(const ScaleOptions& options)
{
    ScaleResult result;
    FleetOptions fleet;
    fleet.servers = options.servers;
    fleet.senders = std::min(options.senders, options.servers - 1);
    fleet.queriers = options.baseline ? 0 : std::min(options.queriers, options.servers - fleet.senders);
    fleet.targeted = options.targeted;
    fleet.bodyBytes = options.bodyBytes;
    fleet.window = options.window;
    fleet.batch = options.batch;
    fleet.ids = options.ids;

    std::unique_ptr<BaselineForwarder> forwarder;
    std::int64_t openFilesBefore = -1; // not measured
    if (options.serverPid > 0 && !options.baseline)
        if (const auto before = ProcessStats::of(options.serverPid))
            openFilesBefore = static_cast<std::int64_t>(before->openFiles);
    if (options.baseline)
    {
        forwarder = std::make_unique<BaselineForwarder>(options.targeted ? BaselineForwarder::Pattern::ToAddressee
                                                                         : BaselineForwarder::Pattern::ToEveryOther);
        fleet.server = forwarder->address();
        fleet.speaksProtocol = false;
        fleet.awaitAccepted = [&forwarder, targeted = options.targeted](int connections) {
            const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
            while (forwarder->connections() < connections || (targeted && forwarder->hostedUsers() < connections))
            {
                if (std::chrono::steady_clock::now() > deadline)
                    throw std::runtime_error("the baseline forwarder accepted " + std::to_string(forwarder->connections()) + " of " +
                                             std::to_string(connections) + " connections and learned " +
                                             std::to_string(forwarder->hostedUsers()) + " users in 30 s");
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
            }
        };
    }
    else
        fleet.server = options.server;

    {
        FailureLatch latch;
        MsgServerFleet fleetOfServers(fleet, latch);
        CpuMeter cpu(options.baseline ? 0 : options.serverPid);
        const double forwarderBefore = forwarder ? forwarder->cpuSeconds() : 0;
        const std::uint64_t writesBefore = forwarder ? forwarder->writes() : 0;
        fleetOfServers.beginPhase(0);
        cpu.start();
        fleetOfServers.startRelay();
        latch.waitFor(options.relaySeconds);
        result.relaySeconds = fleetOfServers.stopRelay();
        result.relayCpu = forwarder ? std::optional<double>(forwarder->cpuSeconds() - forwarderBefore) : cpu.stop();
        if (forwarder)
            result.relayWrites = forwarder->writes() - writesBefore;
        latch.rethrowIfFailed();
        result.relay = fleetOfServers.tally(0);

        if (fleet.queriers > 0)
        {
            fleetOfServers.beginPhase(1);
            cpu.start();
            fleetOfServers.startQueries();
            latch.waitFor(options.querySeconds);
            result.querySeconds = fleetOfServers.stopQueries();
            result.queryCpu = cpu.stop();
            latch.rethrowIfFailed();
            result.queries = fleetOfServers.tally(1);
        }
        fleetOfServers.logOff();
    }
    if (openFilesBefore >= 0)
    {
        // The server retires the connections on threads of its own; the next point must not
        // find it still holding them (its max_connections counts them).
        const auto after = ProcessStats::awaitOpenFiles(options.serverPid, static_cast<std::uint64_t>(openFilesBefore), 10);
        if (after)
            result.openFilesLeft = static_cast<std::int64_t>(after->openFiles) - openFilesBefore;
    }
    return result;
}

} // namespace ttbench
