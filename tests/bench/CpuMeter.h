#pragma once

#include <optional>
#include <sys/types.h>

namespace ttbench
{

/// CPU seconds a process (the server under test) used between start() and stop().
class CpuMeter
{
public:
    /// Watches `pid`; 0 or less: nothing to watch, stop() says nullopt.
    explicit CpuMeter(pid_t pid);

    /// Reads the process's CPU time now.
    void start();

    /// CPU seconds since start(); nullopt without a process to watch.
    std::optional<double> stop() const;

private:
    std::optional<double> now() const;

    pid_t pid_;
    std::optional<double> before_;
};

} // namespace ttbench
