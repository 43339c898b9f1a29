#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace ttbench
{

/// One kind of writer's switch (the senders' or the queriers'), guarded by FleetControl::mutex.
struct FleetSwitch
{
    bool on = false;                              ///< the writers write
    std::chrono::steady_clock::time_point since;  ///< when `on` was last set
};

/// What a fleet's threads share to be started, stopped and ended, and the phase the traffic
/// they send counts for.
struct FleetControl
{
    std::mutex mutex;                          ///< guards the switches and `closing`
    std::condition_variable changed;           ///< signalled when they change, and when a writer goes idle
    FleetSwitch relay;                         ///< the senders relay
    FleetSwitch queries;                       ///< the queriers query
    bool closing = false;                      ///< every thread ends
    std::atomic<bool> closingFlag{false};      ///< closing, for the readers' loop that takes no lock
    std::atomic<std::uint32_t> phase{0};       ///< traffic sent now counts for this phase
};

} // namespace ttbench
