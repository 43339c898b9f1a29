#include "TraceSubscription.h"

namespace ttroute
{

TraceSubscription::TraceSubscription(std::vector<std::uint32_t> users, std::chrono::steady_clock::time_point until,
                                     std::chrono::system_clock::time_point untilWall)
    : users_(std::move(users))
    , until_(until)
    , untilWall_(untilWall)
{
}

void TraceSubscription::push(const std::string& line)
{
    {
        std::lock_guard lock(mutex_);
        if (waiting_.size() >= kMaxWaitingLines)
        {
            ++dropped_;
            return;
        }
        waiting_.push_back(line);
    }
    arrived_.notify_one();
}

std::size_t TraceSubscription::take(std::vector<std::string>& lines, std::chrono::steady_clock::time_point deadline)
{
    std::unique_lock lock(mutex_);
    arrived_.wait_until(lock, deadline, [this] { return !waiting_.empty() || dropped_ > 0; });
    for (auto& line : waiting_)
        lines.push_back(std::move(line));
    waiting_.clear();
    const std::size_t dropped = dropped_;
    dropped_ = 0;
    return dropped;
}

} // namespace ttroute
