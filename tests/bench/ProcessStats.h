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
    std::uint64_t threads = 0;  ///< its threads

    /// The stats of process `pid`; nullopt when it is not readable.
    static std::optional<ProcessStats> of(pid_t pid);

    /// Reads the stats of `pid` until it holds at most `openFiles` descriptors or `timeout`
    /// passed (the server closes connections on threads of its own, a little after ours);
    /// returns the last stats read, nullopt when they are not readable.
    static std::optional<ProcessStats> awaitOpenFiles(pid_t pid, std::uint64_t openFiles, double timeout);

    /// Reads the stats of `pid` until it runs at most `threads` threads or `timeout` passed
    /// (the server ends a connection's thread a few seconds after the connection); returns
    /// the last stats read, nullopt when they are not readable.
    static std::optional<ProcessStats> awaitThreads(pid_t pid, std::uint64_t threads, double timeout);

    /// CPU time of thread `tid` of this process.
    static double threadCpuSeconds(pid_t tid);
};

} // namespace ttbench
