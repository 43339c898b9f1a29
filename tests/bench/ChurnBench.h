#pragma once

#include <Poco/Net/SocketAddress.h>

#include <cstdint>
#include <sys/types.h>

namespace ttbench
{

/// How the churn load runs: `cycles` times, connect, register `usersPerCycle` users, wait
/// for the answer to a status query, close.
struct ChurnOptions
{
    Poco::Net::SocketAddress server;
    std::uint32_t cycles = 1000;
    std::uint32_t usersPerCycle = 10;
    pid_t serverPid = 0; ///< to compare the server's descriptors and memory; 0: not measured
};

/// What a churn run measured.
struct ChurnResult
{
    double seconds = 0;
    std::uint32_t cycles = 0;        ///< completed
    std::uint32_t failures = 0;      ///< cycles that did not get their answer
    std::int64_t fdGrowth = 0;       ///< server descriptors after minus before (0 when not measured)
    std::int64_t rssGrowthBytes = 0; ///< server RSS after minus before (0 when not measured)
};

/// Runs the churn cycles against `options.server`.
ChurnResult runChurn(const ChurnOptions& options);

} // namespace ttbench
