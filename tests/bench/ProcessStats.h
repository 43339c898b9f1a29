#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>

namespace ttbench
{

/// What /proc says about a process (or one thread of this process): CPU time and memory.
struct ProcessStats
{
    double cpuSeconds = 0;      ///< user + system
    std::uint64_t rssBytes = 0; ///< resident set size
    std::uint64_t openFiles = 0; ///< entries in /proc/PID/fd

    /// The stats of process `pid`; nullopt when it is not readable.
    static std::optional<ProcessStats> of(pid_t pid);

    /// CPU time of thread `tid` of this process.
    static double threadCpuSeconds(pid_t tid);
};

} // namespace ttbench
