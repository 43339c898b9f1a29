#include "ChurnBench.h"

#include "BenchProtocol.h"
#include "BenchSocket.h"
#include "ProcessStats.h"

#include <chrono>
#include <exception>
#include <thread>
#include <vector>

namespace ttbench
{

ChurnResult runChurn(const ChurnOptions& options)
{
    using Clock = std::chrono::steady_clock;
    ChurnResult result;
    const auto before = options.serverPid > 0 ? ProcessStats::of(options.serverPid) : std::nullopt;
    const auto start = Clock::now();
    std::vector<std::uint32_t> users(options.usersPerCycle);
    for (std::uint32_t cycle = 0; cycle < options.cycles; ++cycle)
    {
        for (std::uint32_t i = 0; i < options.usersPerCycle; ++i)
            users[i] = 20000000 + cycle * options.usersPerCycle + i;
        try
        {
            BenchSocket socket(options.server);
            registerUsers(socket, users);
            ++result.cycles;
        }
        catch (const std::exception&)
        {
            ++result.failures;
        }
    }
    result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    if (before)
    {
        // The server ends the connections just closed on its own threads: let it finish.
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        const auto after = ProcessStats::of(options.serverPid);
        if (after)
        {
            result.fdGrowth = static_cast<std::int64_t>(after->openFiles) - static_cast<std::int64_t>(before->openFiles);
            result.rssGrowthBytes = static_cast<std::int64_t>(after->rssBytes) - static_cast<std::int64_t>(before->rssBytes);
        }
    }
    return result;
}

} // namespace ttbench
