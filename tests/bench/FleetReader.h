#pragma once

#include "BenchProtocol.h"
#include "BenchSocket.h"
#include "FleetLayout.h"
#include "LatencyHistogram.h"
#include "StatusAnswer.h"

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

namespace ttbench
{

class FleetProgress;
class FleetQuerier;
class FleetSender;
class StampedQuery;
struct FleetConnection;
struct FleetControl;
struct FleetOptions;
struct FleetTally;

/// One epoll thread reading a share of a fleet's connections: it checks every MSG_DATA copy
/// (its sender, its order, that it belongs at this msg server, its stamp) and every status
/// answer, publishes the senders' progress for their windows, and heartbeats the
/// connections no writer thread writes on.
class FleetReader
{
public:
    /// Reader `index`, reading `connections`; the rest is the fleet's, for the checks and reports.
    FleetReader(int index, std::vector<FleetConnection*> connections, const FleetLayout& layout, const FleetOptions& options,
                FleetControl& control, FleetProgress& progress, std::vector<std::unique_ptr<FleetSender>>& senders,
                std::vector<std::unique_ptr<FleetQuerier>>& queriers, const std::vector<std::vector<StampedQuery>>& requests);

    /// Closes its epoll descriptor.
    ~FleetReader();

    FleetReader(const FleetReader&) = delete;
    FleetReader& operator=(const FleetReader&) = delete;

    /// Runs until the fleet closes; a failure names the msg server it happened on.
    void run();

    /// Copies delivered where they belong, all phases together.
    std::uint64_t delivered() const { return delivered_.load(std::memory_order_acquire); }

    /// Adds what it counted for `phase` to `tally`.
    void addTo(FleetTally& tally, int phase) const;

private:
    /// A connection as its reader sees it.
    struct Link
    {
        explicit Link(FleetConnection* connection);

        FleetConnection* connection;
        FrameStream stream;
        std::vector<std::uint64_t> next;  ///< by sender: the next message expected here
        std::vector<std::uint64_t> count; ///< by sender: copies received here
    };

    /// What it counted for one phase.
    struct PhaseCounts
    {
        std::uint64_t delivered = 0;
        std::uint64_t outOfOrder = 0;
        std::uint64_t misdelivered = 0;
        std::uint64_t answers = 0;
        std::uint64_t wrongAnswers = 0;
        LatencyHistogram relay;
        LatencyHistogram query;
    };

    void loop(int& current);
    PhaseCounts& currentPhase();
    std::uint64_t onMessage(Link& link, const char* frame, std::uint32_t length, std::int64_t arrival);
    void onAnswer(Link& link, const char* frame, std::uint32_t length, std::int64_t arrival);
    void recomputeMin(int sender);

    const int index_;
    const FleetLayout& layout_;
    const FleetOptions& options_;
    FleetControl& control_;
    FleetProgress& progress_;
    std::vector<std::unique_ptr<FleetSender>>& senders_;
    std::vector<std::unique_ptr<FleetQuerier>>& queriers_;
    const std::vector<std::vector<StampedQuery>>& requests_;
    const MsgDataTemplate stampLayout_; ///< where a fleet MSG_DATA's stamp is
    StatusAnswer answer_;               ///< reused from one answer to the next
    int epoll_;
    std::vector<Link> links_;
    std::vector<std::uint64_t> min_; ///< by sender (broadcast): fewest copies at any connection here but the sender's
    std::vector<std::size_t> atMin_; ///< by sender (broadcast): connections at that count
    std::vector<std::uint64_t> sum_; ///< by sender (targeted): copies at all connections here
    mutable std::mutex mutex_;       ///< held while a read is counted, and by addTo()
    std::array<PhaseCounts, kFleetPhases> phases_;
    std::atomic<std::uint64_t> delivered_{0};
};

} // namespace ttbench
