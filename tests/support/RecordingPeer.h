#pragma once

#include "WireFrames.h"

#include "routing/PeerLink.h"
#include "routing/RouteScratch.h"

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace tttest
{

/// A msg server as the router sees it (ttroute::PeerLink), without a socket: it records every
/// batch delivered to it and every close(), for a test to inspect.
/// deliver() may be called from several threads at once; the rest is for one thread.
class RecordingPeer : public ttroute::PeerLink
{
public:
    /// A peer with connection id `id`, described as "peer #<id>". With `takesShared` it keeps
    /// each batch's shared() copy, as a peer that must queue does, instead of appending the
    /// batch's spans.
    explicit RecordingPeer(ttroute::ConnectionId id, bool takesShared = false);

    /// The id given at construction.
    ttroute::ConnectionId id() const override { return id_; }

    /// "peer #<id>".
    const std::string& description() const override { return description_; }

    /// Records the batch's bytes and frame count.
    void deliver(ttroute::FrameBatch& batch) override;

    /// Always 0: nothing waits for a socket.
    std::size_t queuedBytes() const override { return 0; }

    /// Counts the call; the peer stays as it is.
    void close(ttroute::DisconnectReason reason) override;

    /// Everything delivered, in order, as one byte stream.
    std::string bytes() const;

    /// Everything delivered, as frames in order; fails the test unless each batch held
    /// exactly the whole frames it claimed.
    std::vector<WireFrame> frames() const;

    /// How many batches were delivered.
    std::size_t batchCount() const;

    /// True when anything was delivered.
    bool received() const { return batchCount() != 0; }

    /// Forgets the batches delivered so far (not the close() calls).
    void clear();

    /// How many times close() was called.
    int closeCalls() const { return closeCalls_; }

    /// The routing scratch of this peer's connection, kept from one route() to the next as
    /// RouteConnection keeps it: only this peer's routing thread may use it.
    ttroute::RouteScratch scratch;

private:
    struct Batch
    {
        std::string bytes;
        std::uint32_t frameCount;
    };

    const ttroute::ConnectionId id_;
    const std::string description_;
    const bool takesShared_;
    mutable std::mutex mutex_;
    std::vector<Batch> batches_;
    int closeCalls_ = 0;
};

} // namespace tttest
