#include "Tracer.h"

#include <algorithm>

namespace ttroute
{

Tracer::Tracer(Poco::Logger& log)
    : log_(log)
    , followed_(std::make_shared<const std::vector<std::uint32_t>>())
{
}

std::shared_ptr<const std::vector<std::uint32_t>> Tracer::followed() const
{
    std::lock_guard lock(mutex_);
    return followed_;
}

std::shared_ptr<TraceSubscription> Tracer::start(std::vector<std::uint32_t> users, std::chrono::milliseconds length)
{
    std::sort(users.begin(), users.end());
    users.erase(std::unique(users.begin(), users.end()), users.end());
    users.resize(std::min(users.size(), kMaxUsers));
    length = std::min<std::chrono::milliseconds>(length, kMaxLength);
    auto owned = std::make_unique<TraceSubscription>(std::move(users), std::chrono::steady_clock::now() + length,
                                                     std::chrono::system_clock::now() + length);
    std::lock_guard lock(mutex_);
    subscriptions_.push_back(owned.get());
    refresh();
    // The trace ends with its last pointer: whatever way the admin request that holds it goes.
    return std::shared_ptr<TraceSubscription>(owned.release(), [this](TraceSubscription* subscription) {
        const std::unique_ptr<TraceSubscription> gone(subscription);
        end(subscription);
    });
}

void Tracer::end(const TraceSubscription* subscription)
{
    std::lock_guard lock(mutex_);
    subscriptions_.erase(std::find(subscriptions_.begin(), subscriptions_.end(), subscription));
    refresh();
}

void Tracer::refresh()
{
    std::vector<std::uint32_t> users;
    for (const TraceSubscription* subscription : subscriptions_)
        users.insert(users.end(), subscription->users().begin(), subscription->users().end());
    std::sort(users.begin(), users.end());
    users.erase(std::unique(users.begin(), users.end()), users.end());
    followed_ = std::make_shared<const std::vector<std::uint32_t>>(std::move(users));
    active_.store(!subscriptions_.empty(), std::memory_order_relaxed);
}

void Tracer::publish(const std::string& line, const std::vector<std::uint32_t>& users)
{
    {
        std::lock_guard lock(mutex_);
        for (TraceSubscription* subscription : subscriptions_)
        {
            const auto& followed = subscription->users();
            if (std::find_first_of(users.begin(), users.end(), followed.begin(), followed.end()) != users.end())
                subscription->push(line);
        }
    }
    log_.information(line);
}

std::vector<Tracer::Running> Tracer::running() const
{
    std::lock_guard lock(mutex_);
    std::vector<Running> traces;
    for (const TraceSubscription* subscription : subscriptions_)
        traces.push_back({subscription->users(), subscription->untilWall()});
    return traces;
}

} // namespace ttroute
