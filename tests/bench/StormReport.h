#pragma once

#include "BenchOptions.h"

#include <ostream>

namespace ttbench
{

/// The storm mode: per run, the traffic of established connections in each phase of a storm
/// of new connections, the storm's outcome and the server's descriptors, threads and memory;
/// returns the exit status (1 on any loss, wrong answer, hung connection, or resources the
/// server did not give back).
int runStormMode(const BenchOptions& options, std::ostream& out);

} // namespace ttbench
