#include "RecordingPeer.h"

#include <cppunit/extensions/HelperMacros.h>

namespace tttest
{

RecordingPeer::RecordingPeer(ttroute::ConnectionId id, bool takesShared)
    : id_(id)
    , description_("peer #" + std::to_string(id))
    , takesShared_(takesShared)
{
}

void RecordingPeer::deliver(ttroute::FrameBatch& batch)
{
    std::lock_guard lock(mutex_);
    // A peer that has to queue takes the shared copy; what it holds must be the same bytes.
    if (takesShared_)
        batches_.push_back({*batch.shared(), batch.frameCount()});
    else
    {
        std::string bytes;
        batch.appendTo(bytes);
        batches_.push_back({std::move(bytes), batch.frameCount()});
    }
}

void RecordingPeer::close(ttroute::DisconnectReason)
{
    ++closeCalls_;
}

std::string RecordingPeer::bytes() const
{
    std::lock_guard lock(mutex_);
    std::string out;
    for (const auto& batch : batches_)
        out += batch.bytes;
    return out;
}

std::vector<WireFrame> RecordingPeer::frames() const
{
    std::lock_guard lock(mutex_);
    std::vector<WireFrame> out;
    for (const auto& batch : batches_)
    {
        std::string rest = batch.bytes;
        auto frames = takeFrames(rest);
        CPPUNIT_ASSERT_MESSAGE(description_ + ": a batch ends in a partial frame", rest.empty());
        CPPUNIT_ASSERT_EQUAL_MESSAGE(description_ + ": a batch's frame count", std::size_t(batch.frameCount), frames.size());
        out.insert(out.end(), frames.begin(), frames.end());
    }
    return out;
}

std::size_t RecordingPeer::batchCount() const
{
    std::lock_guard lock(mutex_);
    return batches_.size();
}

void RecordingPeer::clear()
{
    std::lock_guard lock(mutex_);
    batches_.clear();
}

} // namespace tttest
