#include "FleetSender.h"

#include "BenchSocket.h"
#include "FleetControl.h"
#include "FleetLayout.h"
#include "FleetProgress.h"
#include "MsgServerFleet.h"
#include "SendStamp.h"

#include <algorithm>
#include <poll.h>
#include <string>

namespace ttbench
{

FleetSender::FleetSender(int index, BenchSocket& socket, const FleetLayout& layout, const FleetOptions& options, FleetControl& control,
                         const FleetProgress& progress)
    : index_(index)
    , socket_(socket)
    , options_(options)
    , control_(control)
    , progress_(progress)
    , gate_(control, control.relay, options.rate / options.senders)
{
    for (std::uint64_t k = 0; k < layout.period(); ++k)
        templates_.emplace_back(kFleetUserBase + static_cast<std::uint32_t>(index), kFleetUserBase + static_cast<std::uint32_t>(layout.target(index, k)),
                                options.bodyBytes);
    for (auto& sent : sentByPhase_)
        sent.store(0);
}

std::uint64_t FleetSender::inFlight(std::uint64_t sent) const
{
    return sent - std::min(sent, progress_.acknowledged(index_));
}

void FleetSender::run()
{
    std::string out;
    std::size_t written = 0;
    std::uint64_t sent = 0;
    for (;;)
    {
        if (written == out.size())
        {
            if (!gate_.awaitTurn(socket_, sent))
                return;
            socket_.keepAlive(); // between whole batches: never inside a frame
            out.clear();
            written = 0;
            const std::uint64_t allowed = gate_.paced(options_.window - std::min(options_.window, inFlight(sent)), sent);
            const auto count = std::min<std::uint64_t>(allowed, options_.batch);
            if (count > 0)
            {
                const std::uint32_t phase = control_.phase.load(std::memory_order_acquire);
                const std::uint32_t field = static_cast<std::uint32_t>(index_) | phase << kPhaseShift;
                const std::int64_t stamp = nowNs();
                for (std::uint64_t i = 0; i < count; ++i)
                    templates_[static_cast<std::size_t>((sent + i) % templates_.size())].appendTo(out, field, sent + i, stamp);
                sent += count;
                sentByPhase_[phase].fetch_add(count, std::memory_order_release);
                sent_.store(sent, std::memory_order_release);
            }
        }
        if (written < out.size())
            written += socket_.sendSome(out.data() + written, out.size() - written);

        const bool pendingWrite = written < out.size();
        if (!pendingWrite)
            wake_.arm();
        // Nothing to write means the window is full or the rate says wait: a reader's
        // progress (the eventfd) or the next rate slot ends the wait.
        const bool windowOpen = !pendingWrite && !gate_.isPaced() && inFlight(sent) < options_.window;
        if (!windowOpen)
        {
            pollfd fds[2] = {{socket_.fd(), static_cast<short>(pendingWrite ? POLLOUT : 0), 0}, {wake_.fd(), POLLIN, 0}};
            ::poll(fds, 2, pendingWrite ? 50 : (gate_.isPaced() ? 1 : 50));
            wake_.clear();
        }
    }
}

} // namespace ttbench
