#include "FleetProgress.h"

#include <algorithm>

namespace ttbench
{

FleetProgress::FleetProgress(int readers, int senders, bool targeted)
    : senders_(senders)
    , targeted_(targeted)
    , cells_(static_cast<std::size_t>(readers * senders))
{
    for (auto& cell : cells_)
        cell.store(0);
}

std::uint64_t FleetProgress::acknowledged(int sender) const
{
    std::uint64_t sum = 0;
    std::uint64_t low = UINT64_MAX;
    for (std::size_t i = static_cast<std::size_t>(sender); i < cells_.size(); i += static_cast<std::size_t>(senders_))
    {
        const std::uint64_t value = cells_[i].load(std::memory_order_acquire);
        sum += value;
        low = std::min(low, value);
    }
    return targeted_ ? sum : low;
}

} // namespace ttbench
