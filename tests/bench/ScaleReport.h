#pragma once

#include "BenchOptions.h"

#include <ostream>

namespace ttbench
{

/// The scale mode: for each N of --servers, both relay modes (and with --baseline the forwarder
/// in each one's pattern) with N msg servers, one line per point, then how the CPU per
/// delivered PDU grows with N; returns the exit status (1 on any loss or wrong answer, or
/// descriptors the server did not give back).
int runScaleMode(const BenchOptions& options, std::ostream& out);

} // namespace ttbench
