#include "DisconnectLog.h"

namespace ttroute
{

void DisconnectLog::record(Disconnect disconnect)
{
    std::lock_guard lock(mutex_);
    if (entries_.size() == kCapacity)
        entries_.pop_front();
    entries_.push_back(std::move(disconnect));
}

std::vector<Disconnect> DisconnectLog::recent() const
{
    std::lock_guard lock(mutex_);
    return {entries_.rbegin(), entries_.rend()};
}

} // namespace ttroute
