#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace ttbench
{

/// What a fleet's threads share to be started, stopped and ended, and the phase the traffic
/// they send counts for.
struct FleetControl
{
    std::mutex mutex;                          ///< guards the flags and start times below
    std::condition_variable changed;           ///< signalled when they change, and when a writer goes idle
    bool relayOn = false;                      ///< the senders relay
    bool queriesOn = false;                    ///< the queriers query
    bool closing = false;                      ///< every thread ends
    std::chrono::steady_clock::time_point relayStart;   ///< when relayOn was last set
    std::chrono::steady_clock::time_point queriesStart; ///< when queriesOn was last set
    std::atomic<bool> closingFlag{false};      ///< closing, for the readers' loop that takes no lock
    std::atomic<std::uint32_t> phase{0};       ///< traffic sent now counts for this phase
};

} // namespace ttbench
