#include "DisconnectReason.h"

namespace ttroute
{

const char* toString(DisconnectReason reason)
{
    switch (reason)
    {
        case DisconnectReason::PeerClosed: return "eof";
        case DisconnectReason::ReadError: return "read_error";
        case DisconnectReason::WriteError: return "write_error";
        case DisconnectReason::IdleTimeout: return "idle_timeout";
        case DisconnectReason::QueueOverflow: return "queue_overflow";
        case DisconnectReason::BadFrame: return "bad_frame";
        case DisconnectReason::NotAllowed: return "not_allowed";
        case DisconnectReason::InternalError: return "internal_error";
        case DisconnectReason::Evicted: return "evicted";
        case DisconnectReason::Drained: return "drained";
        case DisconnectReason::Shutdown: return "shutdown";
    }
    return "unknown";
}

} // namespace ttroute
