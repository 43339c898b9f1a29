#pragma once

#include "connections/OutboxGauge.h"
#include "routing/FrameBatch.h"

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>

namespace ttroute
{

/// The outbound side of one socket: writes without ever blocking, and queues what the
/// kernel does not take yet, up to a limit.
///
/// Any thread may push. When nothing is queued, a push writes straight to the socket from
/// the batch's bytes (no copy); the rest is queued as a reference to the batch's shared
/// bytes, and the connection's own thread drains the queue with few large writes when the
/// socket is writable again. A push that would take the queue past its limit closes the
/// outbox instead: the peer stopped reading, and nobody else waits for it.
class Outbox
{
public:
    /// What became of a push.
    enum class PushResult
    {
        Written,     ///< all bytes are in the kernel
        Queued,      ///< some bytes wait; the queue was already waiting for the socket
        QueuedFirst, ///< some bytes wait and the queue was empty: the owner must watch for POLLOUT
        Overflow,    ///< the limit was reached; the outbox is closed now
        Failed,      ///< the socket failed; the outbox is closed now
        Closed,      ///< the outbox was closed before; nothing was written
    };

    /// What a flush achieved.
    enum class FlushResult
    {
        Empty,   ///< nothing is queued any more
        Pending, ///< the socket is full again; bytes still wait
        Failed,  ///< the socket failed; the outbox is closed now
    };

    /// Writes to socket `fd`, which stays owned by the caller and must outlive close(); what
    /// it queues is counted in `gauge`.
    Outbox(int fd, OutboxGauge& gauge);

    /// Writes or queues the batch's frames after everything pushed before, if `limit` allows.
    PushResult push(FrameBatch& batch, std::size_t limit);

    /// Writes queued bytes until the socket would block.
    FlushResult flush();

    /// True when bytes wait for the socket.
    bool hasPending() const { return queuedBytes_.load(std::memory_order_relaxed) != 0; }

    /// Bytes waiting for the socket.
    std::size_t queuedBytes() const { return queuedBytes_.load(std::memory_order_relaxed); }

    /// Queue size a push would have reached when the outbox overflowed (0 if it did not).
    std::size_t overflowBytes() const { return overflowBytes_.load(std::memory_order_relaxed); }

    /// When the last accepted push happened: the owner sends a heartbeat after a quiet interval.
    std::chrono::steady_clock::time_point lastPush() const;

    /// Frames accepted (written or queued) so far.
    std::uint64_t framesOut() const { return framesOut_.load(std::memory_order_relaxed); }

    /// Bytes accepted (written or queued) so far.
    std::uint64_t bytesOut() const { return bytesOut_.load(std::memory_order_relaxed); }

    /// Stops all further writes and frees the queue; after it returns, no thread touches the socket.
    void close();

private:
    struct Chunk
    {
        SharedBytes bytes;
        std::size_t offset; ///< bytes of this chunk already written
    };

    void closeLocked();

    const int fd_;
    OutboxGauge& gauge_;
    std::mutex mutex_;
    std::deque<Chunk> queue_;
    bool closed_ = false;
    std::atomic<std::size_t> queuedBytes_{0};
    std::atomic<std::size_t> overflowBytes_{0};
    std::atomic<std::int64_t> lastPushNs_;
    std::atomic<std::uint64_t> framesOut_{0};
    std::atomic<std::uint64_t> bytesOut_{0};
};

} // namespace ttroute
