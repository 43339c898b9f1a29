#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace ttroute
{

/// Immutable bytes shared by every outbox that queues them: a broadcast to N peers is N references.
using SharedBytes = std::shared_ptr<const std::string>;

/// Whole frames on their way to one or more peers.
///
/// A batch either borrows bytes (a run of frames in a read buffer) or owns them (frames we
/// generated). Most deliveries write straight from the batch to the socket; only a peer that
/// must queue asks for shared(), and the borrowed bytes are copied then, once for all peers.
/// A batch is used by one thread, during one routing step.
class FrameBatch
{
public:
    /// A batch over `size` bytes of `frameCount` whole frames that stay valid while the batch is used.
    FrameBatch(const char* data, std::size_t size, std::uint32_t frameCount);

    /// A batch over bytes it shares ownership of.
    FrameBatch(SharedBytes bytes, std::uint32_t frameCount);

    FrameBatch(const FrameBatch&) = delete;
    FrameBatch& operator=(const FrameBatch&) = delete;

    /// First byte of the frames.
    const char* data() const { return data_; }

    /// Total length of the frames in bytes.
    std::size_t size() const { return size_; }

    /// Number of whole frames in the batch.
    std::uint32_t frameCount() const { return frameCount_; }

    /// The bytes as a shared, immutable block; borrowed bytes are copied on the first call only.
    const SharedBytes& shared();

private:
    const char* data_;
    std::size_t size_;
    std::uint32_t frameCount_;
    SharedBytes shared_;
};

} // namespace ttroute
