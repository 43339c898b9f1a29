#pragma once

#include "routing/PeerLink.h"

#include <memory>
#include <mutex>
#include <vector>

namespace ttroute
{

/// The connected msg servers, as an immutable list sorted by id, replaced on every change.
///
/// Routing takes a snapshot (one reference count) and iterates it without a lock, so a
/// peer joining or leaving never waits for deliveries in flight, nor they for it. Changes
/// build the next list under a lock of their own: a snapshot waits only for a pointer swap,
/// never for a copy of thousands of peers (a storm of connections coming or going).
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
    /// Puts `next` in force and returns the list it replaced.
    std::shared_ptr<const PeerList> publish(std::shared_ptr<const PeerList> next);

    std::mutex writeMutex_;    ///< one change at a time
    mutable std::mutex mutex_; ///< peers_ against snapshot()
    std::shared_ptr<const PeerList> peers_;
};

} // namespace ttroute
