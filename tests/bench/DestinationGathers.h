#pragma once

#include <cstddef>
#include <cstdint>
#include <sys/uio.h>
#include <vector>

namespace ttbench
{

/// The frames of one read, gathered per destination socket as spans of the read buffer
/// (adjacent frames merged), then written with one blocking sendmsg() per destination: the
/// least a program can do to deliver each frame to one chosen connection. The route server
/// writes its targeted frames the same way (TargetedGathers), so the baseline forwarder's
/// cost per write is the kernel's, and the server's excess over it is the server's own.
class DestinationGathers
{
public:
    /// Adds `length` bytes at `frame` (in the read buffer, which must outlive writeAll()) to
    /// what socket `fd` gets.
    void add(int fd, const char* frame, std::size_t length);

    /// Writes every destination its spans, in one sendmsg() each unless the socket takes
    /// less at once, and starts over. Returns the destinations written.
    std::size_t writeAll();

private:
    /// Spans by descriptor (descriptors are small numbers): no search per frame.
    std::vector<std::vector<iovec>> spans_;
    /// Descriptors with spans in this read, in the order they first got one.
    std::vector<int> touched_;
};

} // namespace ttbench
