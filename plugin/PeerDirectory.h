#pragma once

#include "PeerLink.h"

#include <memory>
#include <mutex>
#include <vector>

namespace ttroute
{

/// The connected msg servers, as an immutable list sorted by id, replaced on every change.
///
/// Routing takes a snapshot (one reference count) and iterates it without a lock, so a
/// peer joining or leaving never waits for deliveries in flight, nor they for it.
class PeerDirectory
{
public:
    /// An immutable list of peers, sorted by id.
    using PeerList = std::vector<std::shared_ptr<PeerLink>>;

    /// The peer of `peers` with `id`, or null.
    static PeerLink* find(const PeerList& peers, ConnectionId id);

    PeerDirectory();

    /// Adds a peer.
    void add(std::shared_ptr<PeerLink> peer);

    /// Removes a peer; deliveries that took a snapshot before may still reach it.
    void remove(const PeerLink& peer);

    /// The peers connected now.
    std::shared_ptr<const PeerList> snapshot() const;

private:
    mutable std::mutex mutex_;
    std::shared_ptr<const PeerList> peers_;
};

} // namespace ttroute
