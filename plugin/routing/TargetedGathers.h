#pragma once

#include "routing/PeerLink.h"
#include "wire/Frame.h"

#include <sys/uio.h>
#include <vector>

namespace ttroute
{

/// The targeted frames of one read, gathered per destination peer as spans of the read
/// buffer: each peer then gets all of its frames of the read in one write, whatever order
/// their destinations came in, and nothing is copied.
class TargetedGathers
{
public:
    /// Adds `frame` (in the read buffer, which must outlive deliver()) to what `peer` gets.
    void add(PeerLink& peer, const FrameView& frame);

    /// Hands every peer its frames as one batch, and starts over.
    void deliver();

    /// Frees the kept span vectors when they hold more than `maxBytes` together; between
    /// reads only (after deliver()).
    void trim(std::size_t maxBytes);

private:
    /// What one peer gets: spans of the read buffer, adjacent frames merged.
    struct Gather
    {
        PeerLink* peer = nullptr;
        std::vector<iovec> spans;
        std::uint32_t frames = 0;
    };

    /// The first used_ are this read's (few peers per read: a linear search beats a map);
    /// all are kept from read to read (RouteScratch), so their span vectors need no new
    /// allocation.
    std::vector<Gather> gathers_;
    std::size_t used_ = 0;
};

} // namespace ttroute
