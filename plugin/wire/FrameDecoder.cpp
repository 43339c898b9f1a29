#include "FrameDecoder.h"

#include <algorithm>
#include <cstring>

namespace ttroute
{

FrameDecoder::FrameDecoder(std::size_t readChunk)
    : readChunk_(std::max<std::size_t>(readChunk, kFrameHeaderSize))
{
    resize(readChunk_);
}

void FrameDecoder::resize(std::size_t capacity)
{
    PageBuffer bigger(capacity);
    if (end_ > begin_)
        std::memcpy(bigger.get(), buffer_.get() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
    buffer_ = std::move(bigger);
    capacity_ = capacity;
}

std::pair<char*, std::size_t> FrameDecoder::prepareRead()
{
    const std::size_t pending = end_ - begin_;
    if (pending == 0)
    {
        begin_ = end_ = 0;
        // A large frame had a buffer of its own size; once it is gone, go back to the normal size.
        if (capacity_ > 2 * readChunk_)
            resize(readChunk_);
    }
    const std::size_t wanted = std::max(readChunk_, pendingFrameLength_);
    if (capacity_ < wanted)
        resize(wanted);
    else if (begin_ > 0 && (capacity_ - end_ < readChunk_ / 2 || begin_ + pendingFrameLength_ > capacity_))
    {
        // Only the bytes of one unfinished frame move, and each of them at most once:
        // at the front, the frame has room to complete in place.
        std::memmove(buffer_.get(), buffer_.get() + begin_, pending);
        begin_ = 0;
        end_ = pending;
    }
    return {buffer_.get() + end_, capacity_ - end_};
}

void FrameDecoder::commit(std::size_t count, std::size_t maxFrameBytes, std::vector<FrameView>& frames)
{
    end_ += count;
    while (end_ - begin_ >= kFrameHeaderSize)
    {
        const char* start = buffer_.get() + begin_;
        const FrameHeader header = readFrameHeader(start);
        if (header.length < kFrameHeaderSize)
            throw FrameError(header, "frame length " + std::to_string(header.length) + " is below the 16-byte header");
        if (header.length > maxFrameBytes)
            throw FrameError(header, "frame length " + std::to_string(header.length) + " exceeds max_pdu_bytes " + std::to_string(maxFrameBytes));
        if (end_ - begin_ < header.length)
        {
            pendingFrameLength_ = header.length;
            return;
        }
        frames.push_back(FrameView{header, start});
        begin_ += header.length;
    }
    pendingFrameLength_ = 0;
}

} // namespace ttroute
