#pragma once

#include "wire/Frame.h"
#include "wire/FrameError.h"
#include "wire/PageBuffer.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace ttroute
{

/// Cuts a byte stream into whole PDUs, across arbitrary read boundaries.
///
/// The decoder owns the read buffer: the caller reads into prepareRead()'s space and calls
/// commit(). Whole frames are returned as views into the buffer (no copy); only the bytes
/// of an unfinished frame are moved, once, to the front before the next read. So input
/// handling is linear in the bytes received, however they are split.
class FrameDecoder
{
public:
    /// The normal buffer size: what a read may fill when no frame is pending (the buffer
    /// grows beyond it for one large frame).
    static constexpr std::size_t kDefaultReadChunk = 256 * 1024;

    /// `readChunk`: the size of a normal read.
    explicit FrameDecoder(std::size_t readChunk = kDefaultReadChunk);

    /// Where the next read may write, and how much; invalidates views from earlier commits.
    std::pair<char*, std::size_t> prepareRead();

    /// Takes `count` bytes just written at prepareRead()'s pointer and appends a view of every
    /// frame now complete to `frames`. Throws FrameError when a header's length is below 16
    /// or above `maxFrameBytes`; the stream cannot be resynchronised after that.
    void commit(std::size_t count, std::size_t maxFrameBytes, std::vector<FrameView>& frames);

    /// Bytes held of a frame not yet complete.
    std::size_t pendingBytes() const { return end_ - begin_; }

private:
    void resize(std::size_t capacity);

    std::size_t readChunk_;
    PageBuffer buffer_;
    std::size_t capacity_ = 0;
    std::size_t begin_ = 0; ///< first byte not yet returned as part of a frame
    std::size_t end_ = 0;   ///< one past the last byte received
    std::size_t pendingFrameLength_ = 0; ///< length of the unfinished frame once its header is in
};

} // namespace ttroute
