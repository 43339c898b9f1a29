#include "TargetedGathers.h"

#include "routing/FrameBatch.h"

#include <cassert>

namespace ttroute
{

void TargetedGathers::add(PeerLink& peer, const FrameView& frame)
{
    Gather* gather = nullptr;
    for (std::size_t i = 0; i < used_ && !gather; ++i)
        gather = gathers_[i].peer == &peer ? &gathers_[i] : nullptr;
    if (!gather)
    {
        if (used_ == gathers_.size())
            gathers_.emplace_back();
        gather = &gathers_[used_++];
        gather->peer = &peer;
    }
    ++gather->frames;
    std::vector<iovec>& spans = gather->spans;
    if (!spans.empty() && static_cast<const char*>(spans.back().iov_base) + spans.back().iov_len == frame.bytes)
        spans.back().iov_len += frame.header.length;
    else
        spans.push_back({const_cast<char*>(frame.bytes), frame.header.length});
}

void TargetedGathers::deliver()
{
    for (std::size_t i = 0; i < used_; ++i)
    {
        Gather& gather = gathers_[i];
        FrameBatch batch(gather.spans.data(), gather.spans.size(), gather.frames);
        gather.peer->deliver(batch);
        gather.spans.clear(); // keeps its capacity for the next read
        gather.frames = 0;
    }
    used_ = 0;
}

void TargetedGathers::trim(std::size_t maxBytes)
{
    assert(used_ == 0 && "trimmed between reads only");
    std::size_t bytes = 0;
    for (const Gather& gather : gathers_)
        bytes += gather.spans.capacity() * sizeof(iovec);
    if (bytes > maxBytes)
        gathers_ = std::vector<Gather>();
}

} // namespace ttroute
