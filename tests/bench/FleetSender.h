#pragma once

#include "BenchProtocol.h"
#include "FleetLayout.h"
#include "FleetWriterGate.h"
#include "Wakeup.h"

#include <array>
#include <atomic>
#include <cstdint>
#include <vector>

namespace ttbench
{

class BenchSocket;
struct FleetControl;
struct FleetOptions;
class FleetProgress;

/// A fleet's sender: writes batches of numbered, time-stamped MSG_DATA, each message to the
/// next of its addressees, while its window (or its share of the rate) allows, and while the
/// fleet relays. A reader reads its connection; this thread only writes on it, so only this
/// thread heartbeats it, between whole batches.
class FleetSender
{
public:
    /// Sender `index` (also its msg server's index) writing on `socket`.
    FleetSender(int index, BenchSocket& socket, const FleetLayout& layout, const FleetOptions& options, FleetControl& control,
                const FleetProgress& progress);

    /// Runs until the fleet closes.
    void run();

    /// Readers nudge it when its messages arrive.
    Wakeup& wakeup() { return wake_; }

    /// Messages sent so far.
    std::uint64_t sent() const { return sent_.load(std::memory_order_acquire); }

    /// Messages sent in `phase`.
    std::uint64_t sentIn(int phase) const { return sentByPhase_[static_cast<std::size_t>(phase)].load(std::memory_order_acquire); }

    /// True while relaying or finishing a batch; read with control.mutex held.
    bool busy() const { return gate_.busy(); }

private:
    /// Messages sent but not yet delivered everywhere they go.
    std::uint64_t inFlight(std::uint64_t sent) const;

    const int index_;
    BenchSocket& socket_;
    const FleetOptions& options_;
    FleetControl& control_;
    const FleetProgress& progress_;
    FleetWriterGate gate_; ///< on while the fleet relays, at its share of the rate
    std::vector<MsgDataTemplate> templates_; ///< by seq % period: one per addressee
    Wakeup wake_;
    std::atomic<std::uint64_t> sent_{0};
    std::array<std::atomic<std::uint64_t>, kFleetPhases> sentByPhase_;
};

} // namespace ttbench
