#pragma once

#include <string>

namespace ttbench
{

/// Runs `run(i)` for each run i from 1 to `runs` (a mode's --runs) and returns the exit status
/// of them all: 0 when every run was clean (`run` returned true: nothing lost, every answer
/// right), else 1. Every run is made, whatever the runs before it saw.
template <typename Run>
int everyRun(int runs, Run run)
{
    bool clean = true;
    for (int i = 1; i <= runs; ++i)
        clean = run(i) && clean;
    return clean ? 0 : 1;
}

/// What a report line adds to its label for run `i`: " 2" when there are several runs, nothing
/// when there is one.
inline std::string runSuffix(int runs, int i)
{
    return runs > 1 ? " " + std::to_string(i) : "";
}

} // namespace ttbench
