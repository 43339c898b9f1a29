#include "FleetQuerier.h"

#include "BenchSocket.h"
#include "FleetControl.h"
#include "MsgServerFleet.h"
#include "SendStamp.h"
#include "StampedQuery.h"

#include <algorithm>
#include <chrono>
#include <poll.h>
#include <string>

namespace ttbench
{
namespace
{

using Clock = std::chrono::steady_clock;

} // namespace

FleetQuerier::FleetQuerier(int index, BenchSocket& socket, const FleetOptions& options, FleetControl& control,
                           const std::vector<StampedQuery>& requests)
    : index_(index)
    , socket_(socket)
    , options_(options)
    , control_(control)
    , requests_(requests)
{
    for (auto& sent : sentByPhase_)
        sent.store(0);
}

void FleetQuerier::run()
{
    const double perSecond = options_.queryRate / options_.queriers;
    std::string out;
    std::uint64_t sent = 0;
    std::uint64_t sentAtStart = 0;
    Clock::time_point start;
    for (;;)
    {
        {
            std::unique_lock lock(control_.mutex);
            if (control_.closing || !control_.queriesOn)
            {
                if (busy_)
                {
                    busy_ = false;
                    control_.changed.notify_all();
                }
                if (control_.closing)
                    return;
                control_.changed.wait_for(lock, std::chrono::milliseconds(100));
                lock.unlock();
                socket_.keepAlive();
                continue;
            }
            if (!busy_)
            {
                busy_ = true;
                start = control_.queriesStart;
                sentAtStart = sent;
            }
        }
        socket_.keepAlive(); // every write below is whole queries
        wake_.arm();
        std::uint64_t allowed = options_.queryWindow - std::min<std::uint64_t>(options_.queryWindow, sent - std::min(sent, answered()));
        if (perSecond > 0)
        {
            const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
            const auto due = static_cast<std::uint64_t>(elapsed * perSecond);
            allowed = std::min(allowed, due > sent - sentAtStart ? due - (sent - sentAtStart) : 0);
        }
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
        ::poll(&wake, 1, perSecond > 0 ? 1 : 50);
        wake_.clear();
    }
}

} // namespace ttbench
