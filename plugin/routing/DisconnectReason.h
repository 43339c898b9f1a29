#pragma once

#include <cstddef>

namespace ttroute
{

/// Why a msg-server connection ended; logged, and counted for the metrics.
enum class DisconnectReason
{
    PeerClosed,    ///< the msg server closed its end (EOF)
    ReadError,     ///< the socket failed while reading
    WriteError,    ///< the socket failed while writing
    IdleTimeout,   ///< nothing received for idle_timeout
    QueueOverflow, ///< its outbound queue passed max_outbox_bytes: it stopped reading
    BadFrame,      ///< a header broke the framing limits
    NotAllowed,    ///< its address left route.allow on a reload
    InternalError, ///< handling it failed unexpectedly (logged with the cause)
    Evicted,       ///< closed to make room for a new connection: it had not shown itself a msg server
    Drained,       ///< closed gracefully on an operator's request (POST /drain), to reconnect
    Shutdown,      ///< the server is stopping; keep last: kDisconnectReasonCount follows from it
};

/// Number of DisconnectReason values, for tables indexed by reason.
constexpr std::size_t kDisconnectReasonCount = static_cast<std::size_t>(DisconnectReason::Shutdown) + 1;

/// A short lower-case name for logs and metric labels, e.g. "idle_timeout".
const char* toString(DisconnectReason reason);

} // namespace ttroute
