#include "PeerDirectory.h"

#include <algorithm>

namespace ttroute
{

PeerDirectory::PeerDirectory()
    : peers_(std::make_shared<const PeerList>())
{
}

void PeerDirectory::add(std::shared_ptr<PeerLink> peer)
{
    std::shared_ptr<const PeerList> old; // freed after the locks: the last reference may free thousands
    std::lock_guard writing(writeMutex_);
    // Only writers replace peers_, one at a time: reading it needs no other lock.
    auto next = std::make_shared<PeerList>(*peers_);
    const auto at = std::lower_bound(next->begin(), next->end(), peer->id(), [](const auto& p, ConnectionId id) { return p->id() < id; });
    next->insert(at, std::move(peer));
    old = publish(std::move(next));
}

void PeerDirectory::remove(const PeerLink& peer)
{
    std::shared_ptr<const PeerList> old;
    std::lock_guard writing(writeMutex_);
    auto next = std::make_shared<PeerList>(*peers_);
    next->erase(std::remove_if(next->begin(), next->end(), [&](const auto& p) { return p.get() == &peer; }), next->end());
    old = publish(std::move(next));
}

std::shared_ptr<const PeerDirectory::PeerList> PeerDirectory::publish(std::shared_ptr<const PeerList> next)
{
    std::lock_guard swapping(mutex_);
    peers_.swap(next);
    return next;
}

std::shared_ptr<const PeerDirectory::PeerList> PeerDirectory::snapshot() const
{
    std::lock_guard lock(mutex_);
    return peers_;
}

PeerLink* PeerDirectory::find(const PeerList& peers, ConnectionId id)
{
    const auto at = std::lower_bound(peers.begin(), peers.end(), id, [](const auto& p, ConnectionId wanted) { return p->id() < wanted; });
    return at != peers.end() && (*at)->id() == id ? at->get() : nullptr;
}

} // namespace ttroute
