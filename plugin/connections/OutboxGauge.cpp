#include "OutboxGauge.h"

namespace ttroute
{

void OutboxGauge::add(std::size_t bytes)
{
    const std::size_t total = total_.fetch_add(bytes, std::memory_order_relaxed) + bytes;
    std::size_t high = highWater_.load(std::memory_order_relaxed);
    while (total > high && !highWater_.compare_exchange_weak(high, total, std::memory_order_relaxed))
    {
    }
}

} // namespace ttroute
