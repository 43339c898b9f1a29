#include "RouteCounters.h"

namespace ttroute
{

void CommandCounters::add(std::uint16_t commandId, std::uint64_t count, std::uint64_t length)
{
    const std::size_t slot = commandSlot(commandId);
    pdus[slot].fetch_add(count, std::memory_order_relaxed);
    bytes[slot].fetch_add(length, std::memory_order_relaxed);
}

void CommandTally::addTo(CommandTally& total, std::uint64_t times) const
{
    for (std::size_t slot = 0; slot < kCommandSlots; ++slot)
    {
        total.pdus[slot] += pdus[slot] * times;
        total.bytes[slot] += bytes[slot] * times;
    }
}

void CommandTally::flushInto(CommandCounters& counters)
{
    for (std::size_t slot = 0; slot < kCommandSlots; ++slot)
    {
        if (pdus[slot] == 0)
            continue;
        counters.pdus[slot].fetch_add(pdus[slot], std::memory_order_relaxed);
        counters.bytes[slot].fetch_add(bytes[slot], std::memory_order_relaxed);
        pdus[slot] = 0;
        bytes[slot] = 0;
    }
}

} // namespace ttroute
