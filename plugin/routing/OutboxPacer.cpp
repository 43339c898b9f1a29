#include "OutboxPacer.h"

#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace ttroute
{

OutboxPacer::OutboxPacer(const PeerDirectory& peers, Poco::Logger& logger)
    : peers_(peers)
    , logger_(logger)
{
}

void OutboxPacer::wait(const PeerLink* except, std::size_t comfortableBytes)
{
    std::unordered_map<ConnectionId, Backlog> backlogs;
    for (;;)
    {
        const auto peers = peers_.snapshot();
        const auto now = std::chrono::steady_clock::now();
        bool waiting = false;
        std::vector<std::pair<const PeerLink*, std::size_t>> givenUp; // logged once the lock is released
        {
            std::lock_guard lock(mutex_);
            for (const auto& peer : *peers)
            {
                if (peer.get() == except)
                    continue;
                const std::size_t queued = peer->queuedBytes();
                if (queued <= comfortableBytes)
                {
                    notReading_.erase(peer->id()); // it reads again, if it had stopped
                    continue;
                }
                if (notReading_.count(peer->id()) != 0)
                    continue;
                Backlog& backlog = backlogs.try_emplace(peer->id(), Backlog{queued, now}).first->second;
                if (queued < backlog.lowest)
                    backlog = Backlog{queued, now};
                else if (now - backlog.shrunkAt > kPatience)
                {
                    notReading_.insert(peer->id());
                    givenUp.emplace_back(peer.get(), queued);
                    continue;
                }
                waiting = true;
            }
        }
        // Its own limit deals with such a peer: route.max_outbox_bytes, if it never reads again.
        for (const auto& [peer, queued] : givenUp)
            logger_.warning(peer->description() + ": " + std::to_string(queued) + " bytes queued and not read for " +
                            std::to_string(kPatience.count()) + " ms; announcements go on without waiting for it until it reads");
        if (!waiting)
            return;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
}

void OutboxPacer::forget(ConnectionId peer)
{
    std::lock_guard lock(mutex_);
    notReading_.erase(peer);
}

} // namespace ttroute
