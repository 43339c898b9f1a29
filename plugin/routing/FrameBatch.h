#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <sys/uio.h>

namespace ttroute
{

/// Immutable bytes shared by every outbox that queues them: a broadcast to N peers is N references.
using SharedBytes = std::shared_ptr<const std::string>;

/// Whole frames on their way to one or more peers, as one or more spans of bytes.
///
/// A batch either borrows bytes (runs of frames in a read buffer: one span, or several when
/// the frames of one read for one peer are not contiguous) or owns them (frames we
/// generated). Most deliveries write straight from the spans to the socket; only a peer that
/// must queue asks for shared(), and the borrowed bytes are copied then, once for all peers.
/// A batch is used by one thread, during one routing step.
class FrameBatch
{
public:
    /// A batch over `size` bytes of `frameCount` whole frames that stay valid while the batch is used.
    FrameBatch(const char* data, std::size_t size, std::uint32_t frameCount);

    /// A batch over `count` spans holding `frameCount` whole frames in order; the spans and
    /// the bytes they point to stay valid while the batch is used.
    FrameBatch(const iovec* spans, std::size_t count, std::uint32_t frameCount);

    /// A batch over bytes it shares ownership of.
    FrameBatch(SharedBytes bytes, std::uint32_t frameCount);

    FrameBatch(const FrameBatch&) = delete;
    FrameBatch& operator=(const FrameBatch&) = delete;

    /// The spans of the frames, in order.
    const iovec* spans() const { return spans_; }

    /// Number of spans.
    std::size_t spanCount() const { return spanCount_; }

    /// Total length of the frames in bytes.
    std::size_t size() const { return size_; }

    /// Number of whole frames in the batch.
    std::uint32_t frameCount() const { return frameCount_; }

    /// Appends the frames' bytes to `out`.
    void appendTo(std::string& out) const;

    /// The bytes as a shared, immutable block; borrowed bytes are copied on the first call
    /// only, and from then on the batch reads from that block.
    const SharedBytes& shared();

private:
    iovec single_{};
    const iovec* spans_;
    std::size_t spanCount_;
    std::size_t size_;
    std::uint32_t frameCount_;
    SharedBytes shared_;
};

} // namespace ttroute
