#pragma once

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
class StampedQuery;
struct FleetControl;
struct FleetOptions;

/// A fleet's querier: keeps its window of status queries outstanding (or its share of the
/// rate) while the fleet queries, each one of its prepared requests with a stamp in its
/// attach_data. A reader reads the answers and reports them here; this thread only writes
/// on its connection, so only it heartbeats it, between whole queries.
class FleetQuerier
{
public:
    /// Querier `index` (among the queriers) writing `requests` on `socket`.
    FleetQuerier(int index, BenchSocket& socket, const FleetOptions& options, FleetControl& control, const std::vector<StampedQuery>& requests);

    /// Runs until the fleet closes.
    void run();

    /// A reader got one of this querier's answers.
    void answeredOne()
    {
        answered_.fetch_add(1, std::memory_order_acq_rel);
        wake_.nudge();
    }

    /// Stops its waiting (to end it).
    Wakeup& wakeup() { return wake_; }

    /// Queries sent so far.
    std::uint64_t sent() const { return sent_.load(std::memory_order_acquire); }

    /// Answers received so far.
    std::uint64_t answered() const { return answered_.load(std::memory_order_acquire); }

    /// Queries sent in `phase`.
    std::uint64_t sentIn(int phase) const { return sentByPhase_[static_cast<std::size_t>(phase)].load(std::memory_order_acquire); }

    /// True while querying; read with control.mutex held.
    bool busy() const { return gate_.busy(); }

private:
    const int index_;
    BenchSocket& socket_;
    const FleetOptions& options_;
    FleetControl& control_;
    const std::vector<StampedQuery>& requests_;
    FleetWriterGate gate_; ///< on while the fleet queries, at its share of the query rate
    Wakeup wake_;
    std::atomic<std::uint64_t> sent_{0};
    std::atomic<std::uint64_t> answered_{0};
    std::array<std::atomic<std::uint64_t>, kFleetPhases> sentByPhase_;
};

} // namespace ttbench
