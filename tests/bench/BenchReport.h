#pragma once

#include "BenchOptions.h"

#include <ostream>

namespace ttbench
{

/// Runs the mode `options` names (options.runs times), prints every run and the median, and
/// returns the process exit status: 0, or 1 when any run lost a PDU or saw a wrong answer.
int runBench(const BenchOptions& options, std::ostream& out);

} // namespace ttbench
