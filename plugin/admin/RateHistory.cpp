#include "RateHistory.h"

#include <algorithm>

namespace ttroute
{
namespace
{

std::uint64_t load(const std::atomic<std::uint64_t>& counter)
{
    return counter.load(std::memory_order_relaxed);
}

} // namespace

RateHistory::RateHistory(const RouteCounters& counters)
    : counters_(counters)
{
}

RateHistory::Sample RateHistory::totals() const
{
    Sample total;
    for (std::size_t slot = 0; slot < kCommandSlots; ++slot)
    {
        total.pdus[slot] = load(counters_.received.pdus[slot]);
        total.bytesIn += load(counters_.received.bytes[slot]);
        total.bytesOut += load(counters_.sent.bytes[slot]);
    }
    total.statusQueries = load(counters_.statusQueries);
    total.relayed = load(counters_.framesRelayed);
    total.notifications = load(counters_.notificationsSent);
    return total;
}

void RateHistory::sample(std::chrono::system_clock::time_point now)
{
    const Sample total = totals();
    std::lock_guard lock(mutex_);
    if (last_)
    {
        Sample gained;
        gained.timeMs = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
        for (std::size_t slot = 0; slot < kCommandSlots; ++slot)
            gained.pdus[slot] = total.pdus[slot] - last_->pdus[slot];
        gained.statusQueries = total.statusQueries - last_->statusQueries;
        gained.relayed = total.relayed - last_->relayed;
        gained.notifications = total.notifications - last_->notifications;
        gained.bytesIn = total.bytesIn - last_->bytesIn;
        gained.bytesOut = total.bytesOut - last_->bytesOut;
        if (samples_.size() == kCapacity)
            samples_.pop_front();
        samples_.push_back(gained);
    }
    last_ = total;
}

std::vector<RateHistory::Sample> RateHistory::since(std::int64_t sinceMs) const
{
    std::lock_guard lock(mutex_);
    const auto first = std::find_if(samples_.begin(), samples_.end(), [&](const Sample& sample) { return sample.timeMs > sinceMs; });
    return {first, samples_.end()};
}

} // namespace ttroute
