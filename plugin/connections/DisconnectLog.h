#pragma once

#include "presence/ConnectionId.h"
#include "routing/DisconnectReason.h"

#include <chrono>
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

namespace ttroute
{

/// One msg-server connection that ended.
struct Disconnect
{
    std::chrono::system_clock::time_point at; ///< when it ended
    ConnectionId id = 0;
    std::string remoteAddress;                ///< "address:port"
    DisconnectReason reason = DisconnectReason::PeerClosed;
    std::string detail;                       ///< what the log line adds to the reason, if anything
    std::chrono::milliseconds connected{0};   ///< how long it was connected
    std::size_t usersHosted = 0;              ///< users it hosted when it ended
};

/// The last connections that ended, for operators (GET /disconnects): a connection's end is
/// recorded once, by its own thread, and read rarely.
class DisconnectLog
{
public:
    /// How many ends are kept.
    static constexpr std::size_t kCapacity = 100;

    /// Keeps `disconnect`, forgetting the oldest beyond kCapacity.
    void record(Disconnect disconnect);

    /// The ends kept, newest first.
    std::vector<Disconnect> recent() const;

private:
    mutable std::mutex mutex_;
    std::deque<Disconnect> entries_; ///< oldest first
};

} // namespace ttroute
