#include "FleetWriterGate.h"

#include "BenchSocket.h"
#include "FleetControl.h"

#include <algorithm>

namespace ttbench
{

FleetWriterGate::FleetWriterGate(FleetControl& control, const FleetSwitch& which, double perSecond)
    : control_(control)
    , switch_(which)
    , perSecond_(perSecond)
{
}

bool FleetWriterGate::awaitTurn(BenchSocket& socket, std::uint64_t sent)
{
    std::unique_lock lock(control_.mutex);
    while (control_.closing || !switch_.on)
    {
        if (busy_)
        {
            busy_ = false;
            control_.changed.notify_all();
        }
        if (control_.closing)
            return false;
        control_.changed.wait_for(lock, std::chrono::milliseconds(100));
        lock.unlock();
        socket.keepAlive();
        lock.lock();
    }
    if (!busy_)
    {
        busy_ = true;
        start_ = switch_.since;
        sentAtStart_ = sent;
    }
    return true;
}

std::uint64_t FleetWriterGate::paced(std::uint64_t allowed, std::uint64_t sent) const
{
    if (!isPaced())
        return allowed;
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const auto due = static_cast<std::uint64_t>(elapsed * perSecond_);
    return std::min(allowed, due > sent - sentAtStart_ ? due - (sent - sentAtStart_) : 0);
}

} // namespace ttbench
