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
    std::lock_guard lock(mutex_);
    auto next = std::make_shared<PeerList>(*peers_);
    const auto at = std::lower_bound(next->begin(), next->end(), peer->id(), [](const auto& p, ConnectionId id) { return p->id() < id; });
    next->insert(at, std::move(peer));
    peers_ = std::move(next);
}

void PeerDirectory::remove(const PeerLink& peer)
{
    std::lock_guard lock(mutex_);
    auto next = std::make_shared<PeerList>(*peers_);
    next->erase(std::remove_if(next->begin(), next->end(), [&](const auto& p) { return p.get() == &peer; }), next->end());
    peers_ = std::move(next);
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
