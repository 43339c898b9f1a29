#include "ProcessStats.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <unistd.h>

namespace ttbench
{
namespace
{

/// utime + stime of a /proc .../stat file, in seconds; -1 when unreadable.
double cpuOfStatFile(const std::string& path)
{
    std::ifstream in(path);
    std::string line;
    if (!std::getline(in, line))
        return -1;
    // The command name may hold spaces: fields are counted after its closing parenthesis.
    std::istringstream fields(line.substr(line.rfind(')') + 2));
    std::string field;
    unsigned long long utime = 0, stime = 0;
    for (int index = 3; fields >> field; ++index)
    {
        if (index == 14)
            utime = std::stoull(field);
        else if (index == 15)
        {
            stime = std::stoull(field);
            break;
        }
    }
    return static_cast<double>(utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

/// Reads the stats of `pid` every `interval` until `done` says they are as awaited or
/// `timeout` passed; returns the last stats read, nullopt when they are not readable. It polls
/// /proc: the server announces nothing when its descriptors or threads go.
template <typename Done>
std::optional<ProcessStats> awaitStats(pid_t pid, double timeout, std::chrono::milliseconds interval, Done done)
{
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout);
    for (;;)
    {
        auto stats = ProcessStats::of(pid);
        if (!stats || done(*stats) || std::chrono::steady_clock::now() >= deadline)
            return stats;
        std::this_thread::sleep_for(interval);
    }
}

} // namespace

std::optional<ProcessStats> ProcessStats::of(pid_t pid)
{
    const std::string dir = "/proc/" + std::to_string(pid);
    ProcessStats stats;
    stats.cpuSeconds = cpuOfStatFile(dir + "/stat");
    if (stats.cpuSeconds < 0)
        return std::nullopt;
    std::ifstream status(dir + "/status");
    std::string key;
    while (status >> key)
    {
        if (key == "VmRSS:")
        {
            std::uint64_t kilobytes = 0;
            status >> kilobytes;
            stats.rssBytes = kilobytes * 1024;
        }
        else if (key == "Threads:")
        {
            status >> stats.threads;
            break; // after VmRSS
        }
        status.ignore(1 << 20, '\n');
    }
    std::error_code error;
    for (auto it = std::filesystem::directory_iterator(dir + "/fd", error); !error && it != std::filesystem::directory_iterator(); it.increment(error))
        ++stats.openFiles;
    return stats;
}

std::optional<ProcessStats> ProcessStats::awaitOpenFiles(pid_t pid, std::uint64_t openFiles, double timeout)
{
    return awaitStats(pid, timeout, std::chrono::milliseconds(10), [openFiles](const ProcessStats& stats) { return stats.openFiles <= openFiles; });
}

std::optional<ProcessStats> ProcessStats::awaitThreads(pid_t pid, std::uint64_t threads, double timeout)
{
    return awaitStats(pid, timeout, std::chrono::milliseconds(50), [threads](const ProcessStats& stats) { return stats.threads <= threads; });
}

double ProcessStats::threadCpuSeconds(pid_t tid)
{
    return cpuOfStatFile("/proc/self/task/" + std::to_string(tid) + "/stat");
}

} // namespace ttbench
