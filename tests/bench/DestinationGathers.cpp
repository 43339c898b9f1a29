#include "DestinationGathers.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <sys/socket.h>

namespace ttbench
{
namespace
{

/// Writes every span, blocking: the forwarder has nothing better to do meanwhile. A socket
/// that fails (its peer went) is given up on.
void writeSpans(int fd, iovec* spans, std::size_t count)
{
    while (count > 0)
    {
        msghdr message{};
        message.msg_iov = spans;
        message.msg_iovlen = std::min<std::size_t>(count, IOV_MAX);
        const ssize_t sent = ::sendmsg(fd, &message, MSG_NOSIGNAL);
        if (sent < 0 && errno == EINTR)
            continue;
        if (sent <= 0)
            return;
        auto left = static_cast<std::size_t>(sent);
        while (count > 0 && left >= spans->iov_len)
        {
            left -= spans->iov_len;
            ++spans;
            --count;
        }
        if (count > 0)
        {
            spans->iov_base = static_cast<char*>(spans->iov_base) + left;
            spans->iov_len -= left;
        }
    }
}

} // namespace

void DestinationGathers::add(int fd, const char* frame, std::size_t length)
{
    const auto at = static_cast<std::size_t>(fd);
    if (at >= spans_.size())
        spans_.resize(at + 1);
    std::vector<iovec>& spans = spans_[at];
    if (spans.empty())
        touched_.push_back(fd);
    if (!spans.empty() && static_cast<const char*>(spans.back().iov_base) + spans.back().iov_len == frame)
        spans.back().iov_len += length;
    else
        spans.push_back({const_cast<char*>(frame), length});
}

std::size_t DestinationGathers::writeAll()
{
    const std::size_t written = touched_.size();
    for (const int fd : touched_)
    {
        std::vector<iovec>& spans = spans_[static_cast<std::size_t>(fd)];
        writeSpans(fd, spans.data(), spans.size());
        spans.clear(); // keeps its capacity for the next read
    }
    touched_.clear();
    return written;
}

} // namespace ttbench
