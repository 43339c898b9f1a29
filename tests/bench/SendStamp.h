#pragma once

#include <chrono>
#include <cstdint>

namespace ttbench
{

/// The steady clock in nanoseconds: what ttbench writes into a PDU or query when it sends it,
/// and subtracts from the time of its arrival for the latency. Inline: it runs per PDU.
inline std::int64_t nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

} // namespace ttbench
