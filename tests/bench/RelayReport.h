#pragma once

#include "BenchOptions.h"

#include <ostream>

namespace ttbench
{

/// The relay mode: options.runs runs against --port and/or the baseline forwarder, each run's
/// line, the ratio to the baseline, and the medians; returns the exit status (1 on any loss).
int runRelayMode(const BenchOptions& options, std::ostream& out);

/// The modes mode: the relay load against the broadcast and the targeted server in turn, per
/// run; returns the exit status (1 on any loss or reordering).
int runModesMode(const BenchOptions& options, std::ostream& out);

/// The soak mode: the relay checked byte for byte with presence and queries alongside, per run;
/// returns the exit status (1 on any loss, reordering, corruption or wrong answer).
int runSoakMode(const BenchOptions& options, std::ostream& out);

/// Prints the machine's speed right now, for modes that have no baseline of their own: the
/// relay baseline in its standard shape (2 x 2, 200-byte bodies, window 512).
void printYardstick(std::ostream& out, const BenchOptions& options);

} // namespace ttbench
