#include "Outbox.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <sys/socket.h>
#include <sys/uio.h>

namespace ttroute
{
namespace
{

/// Spans gathered into one sendmsg() at most (the kernel takes no more).
constexpr std::size_t kMaxIov = IOV_MAX;

std::int64_t nowNs()
{
    return std::chrono::steady_clock::now().time_since_epoch().count();
}

/// sendmsg() of up to kMaxIov spans that never blocks or raises SIGPIPE; -1 with errno on
/// failure, 0 when the socket is full.
ssize_t sendSome(int fd, const iovec* spans, std::size_t count)
{
    msghdr message{};
    message.msg_iov = const_cast<iovec*>(spans);
    message.msg_iovlen = std::min(count, kMaxIov);
    for (;;)
    {
        const ssize_t sent = ::sendmsg(fd, &message, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (sent >= 0)
            return sent;
        if (errno == EINTR)
            continue;
        return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
    }
}

} // namespace

Outbox::Outbox(int fd, OutboxGauge& gauge)
    : fd_(fd)
    , gauge_(gauge)
    , lastPushNs_(nowNs())
{
}

std::chrono::steady_clock::time_point Outbox::lastPush() const
{
    return std::chrono::steady_clock::time_point(std::chrono::steady_clock::duration(lastPushNs_.load(std::memory_order_relaxed)));
}

Outbox::PushResult Outbox::push(FrameBatch& batch, std::size_t limit)
{
    std::lock_guard lock(mutex_);
    if (closed_)
        return PushResult::Closed;
    const std::size_t queued = queuedBytes_.load(std::memory_order_relaxed);
    std::size_t sent = 0;
    if (queued == 0)
    {
        const ssize_t written = sendSome(fd_, batch.spans(), batch.spanCount());
        if (written < 0)
        {
            closeLocked();
            return PushResult::Failed;
        }
        sent = static_cast<std::size_t>(written);
    }
    const std::size_t rest = batch.size() - sent;
    if (queued + rest > limit)
    {
        overflowBytes_.store(queued + rest, std::memory_order_relaxed);
        closeLocked();
        return PushResult::Overflow;
    }
    lastPushNs_.store(nowNs(), std::memory_order_relaxed);
    framesOut_.fetch_add(batch.frameCount(), std::memory_order_relaxed);
    bytesOut_.fetch_add(batch.size(), std::memory_order_relaxed);
    if (rest == 0)
        return PushResult::Written;
    queue_.push_back({batch.shared(), sent});
    queuedBytes_.store(queued + rest, std::memory_order_relaxed);
    gauge_.add(rest);
    return queued == 0 ? PushResult::QueuedFirst : PushResult::Queued;
}

Outbox::FlushResult Outbox::flush()
{
    std::lock_guard lock(mutex_);
    while (!queue_.empty() && !closed_)
    {
        iovec iov[kMaxIov];
        std::size_t count = 0;
        std::size_t offered = 0;
        for (auto it = queue_.begin(); it != queue_.end() && count < kMaxIov; ++it, ++count)
        {
            iov[count].iov_base = const_cast<char*>(it->bytes->data() + it->offset);
            iov[count].iov_len = it->bytes->size() - it->offset;
            offered += iov[count].iov_len;
        }
        const ssize_t sent = sendSome(fd_, iov, count);
        if (sent < 0)
        {
            closeLocked();
            return FlushResult::Failed;
        }
        if (sent == 0)
            return FlushResult::Pending;
        auto left = static_cast<std::size_t>(sent);
        queuedBytes_.fetch_sub(left, std::memory_order_relaxed);
        gauge_.remove(left);
        while (left > 0)
        {
            Chunk& front = queue_.front();
            const std::size_t inFront = front.bytes->size() - front.offset;
            if (left < inFront)
            {
                front.offset += left;
                break;
            }
            left -= inFront;
            queue_.pop_front();
        }
        // A short write means the socket is full: asking again would only hear EAGAIN.
        if (static_cast<std::size_t>(sent) < offered)
            return FlushResult::Pending;
    }
    return closed_ ? FlushResult::Failed : FlushResult::Empty;
}

void Outbox::close()
{
    std::lock_guard lock(mutex_);
    closeLocked();
}

void Outbox::closeLocked()
{
    closed_ = true;
    queue_.clear();
    gauge_.remove(queuedBytes_.exchange(0, std::memory_order_relaxed));
}

} // namespace ttroute
