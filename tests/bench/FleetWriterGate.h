#pragma once

#include <chrono>
#include <cstdint>

namespace ttbench
{

class BenchSocket;
struct FleetControl;
struct FleetSwitch;

/// When a fleet's writer thread (a sender or a querier) may write, and how much: it waits,
/// heartbeating its connection, while its switch is off; it tells the fleet when it goes idle
/// (the fleet waits for that to stop a phase); and it holds the writer to its share of the rate.
class FleetWriterGate
{
public:
    /// The gate of a writer whose switch is `which` (one of control's), paced to `perSecond`
    /// writes a second from the moment the switch goes on; 0: unpaced.
    FleetWriterGate(FleetControl& control, const FleetSwitch& which, double perSecond);

    /// Returns once the switch is on (true) or the fleet closes (false). Meanwhile keeps
    /// `socket` alive, which holds no partly written frame when this is called. `sent`: how
    /// many the writer wrote so far, where its pacing starts when the switch has just gone on.
    bool awaitTurn(BenchSocket& socket, std::uint64_t sent);

    /// `allowed`, or fewer when the rate has not yet made that many more due; `sent` as above.
    std::uint64_t paced(std::uint64_t allowed, std::uint64_t sent) const;

    /// True when the writer is paced (it then wakes every millisecond for its next slot).
    bool isPaced() const { return perSecond_ > 0; }

    /// True while the switch is on and the writer writes; read with control.mutex held.
    bool busy() const { return busy_; }

private:
    FleetControl& control_;
    const FleetSwitch& switch_;
    const double perSecond_;
    std::chrono::steady_clock::time_point start_; ///< when the switch went on, as the writer saw it
    std::uint64_t sentAtStart_ = 0;               ///< what the writer had written by then
    bool busy_ = false;                           ///< guarded by control.mutex
};

} // namespace ttbench
