#pragma once

// Facts about TCP on 127.0.0.1 that end-to-end suites check against: a port nobody listens
// on, whether a connection is refused, how far the kernel grows a send buffer.

#include <cstddef>
#include <cstdint>
#include <string>

namespace tttest
{

/// A port nobody listens on right now: bound to 127.0.0.1:0, read, and closed again.
std::uint16_t freePort();

/// True when a connection to 127.0.0.1:`port` is refused (nothing listens there); otherwise
/// false, with what happened instead in `what`.
bool connectionRefused(std::uint16_t port, std::string& what);

/// The largest send buffer the kernel grows a TCP socket to (tcp_wmem's third field), or
/// 4 MiB when /proc does not tell.
std::size_t maxSendBuffer();

} // namespace tttest
