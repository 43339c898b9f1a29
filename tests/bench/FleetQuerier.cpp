#include "FleetQuerier.h"

#include "BenchSocket.h"
#include "FleetControl.h"
#include "MsgServerFleet.h"
#include "SendStamp.h"
#include "StampedQuery.h"

#include <algorithm>
#include <poll.h>
#include <string>

namespace ttbench
{

FleetQuerier::FleetQuerier(int index, BenchSocket& socket, const FleetOptions& options, FleetControl& control,
                           const std::vector<StampedQuery>& requests)
    : index_(index)
    , socket_(socket)
    , options_(options)
    , control_(control)
    , requests_(requests)
    , gate_(control, control.queries, options.queryRate / options.queriers)
{
    for (auto& sent : sentByPhase_)
        sent.store(0);
}

void FleetQuerier::run()
{
    std::string out;
    std::uint64_t sent = 0;
    while (gate_.awaitTurn(socket_, sent))
    {
        socket_.keepAlive(); // every write below is whole queries
        wake_.arm();
        const std::uint64_t allowed =
            gate_.paced(options_.queryWindow - std::min<std::uint64_t>(options_.queryWindow, sent - std::min(sent, answered())), sent);
        if (allowed > 0)
        {
            out.clear();
            const std::uint32_t phase = control_.phase.load(std::memory_order_acquire);
            const std::int64_t stamp = nowNs();
            for (std::uint64_t i = 0; i < allowed; ++i)
            {
                const auto request = static_cast<std::uint32_t>((sent + i) % requests_.size());
                requests_[request].appendTo(out, QueryStamp{static_cast<std::uint32_t>(index_), request, phase, stamp});
            }
            sent += allowed;
            sentByPhase_[phase].fetch_add(allowed, std::memory_order_release);
            sent_.store(sent, std::memory_order_release);
            socket_.sendAll(out);
        }
        // An answer (the eventfd) or the next rate slot ends the wait.
        pollfd wake{wake_.fd(), POLLIN, 0};
        ::poll(&wake, 1, gate_.isPaced() ? 1 : 50);
        wake_.clear();
    }
}

} // namespace ttbench
