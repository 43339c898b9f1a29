#pragma once

#include "BenchOptions.h"

#include <ostream>

namespace ttbench
{

/// The query mode: status queries per second and their latency, per run, and the median;
/// returns the exit status (1 on any wrong answer).
int runQueryMode(const BenchOptions& options, std::ostream& out);

/// The presence mode: registering users in bulk, dropping them with their connection, and
/// their announcements, per run; returns the exit status (1 on any wrong answer).
int runPresenceMode(const BenchOptions& options, std::ostream& out);

/// The churn mode: cycles of connect, register, query and close, and what they leave in the
/// server, per run; returns the exit status (1 on any failed cycle).
int runChurnMode(const BenchOptions& options, std::ostream& out);

} // namespace ttbench
