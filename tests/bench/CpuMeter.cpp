#include "CpuMeter.h"

#include "ProcessStats.h"

namespace ttbench
{

CpuMeter::CpuMeter(pid_t pid)
    : pid_(pid)
{
}

void CpuMeter::start()
{
    before_ = now();
}

std::optional<double> CpuMeter::stop() const
{
    const auto after = now();
    if (!before_ || !after)
        return std::nullopt;
    return *after - *before_;
}

std::optional<double> CpuMeter::now() const
{
    if (pid_ <= 0)
        return std::nullopt;
    const auto stats = ProcessStats::of(pid_);
    return stats ? std::optional<double>(stats->cpuSeconds) : std::nullopt;
}

} // namespace ttbench
