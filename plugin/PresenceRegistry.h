#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <shared_mutex>
#include <vector>

namespace ttroute
{

/// Identifies one msg-server connection for the lifetime of the process (never reused).
using ConnectionId = std::uint32_t;

/// Logins of one user through one connection with one client type.
struct Login
{
    ConnectionId connection = 0;
    std::uint32_t clientType = 0;
    std::uint32_t count = 0;
};

/// A user's state right after an update: what the notification rules of protocol.md §5 look at.
struct PresenceOutcome
{
    bool known = false;    ///< some connection still hosts the user
    bool pcOnline = false; ///< some connection has a PC login of the user
};

/// A user who lost their last PC login when a connection was removed (protocol.md §7, beyond).
struct LostUser
{
    std::uint32_t userId = 0;
    bool stillKnown = false; ///< still hosted elsewhere (mobile logins only)
};

/// Who is online where (protocol.md §4): user → connections → logins per client type.
///
/// Counts are kept per connection, so removing one connection is exact. Users live in one
/// flat open-addressing table (linear probing, backward-shift deletion) whose slots hold up
/// to two (connection, client type) counts inline: 24 bytes a slot, no heap node per user.
/// Users with more distinct logins spill into a side map. Thread-safe: updates take the
/// lock exclusively, status lookups share it.
class PresenceRegistry
{
public:
    /// Largest count kept for one (user, connection, client type); more logins saturate.
    static constexpr std::uint32_t kMaxCount = 0xFFFFFF;

    PresenceRegistry();
    ~PresenceRegistry();

    /// Applies one status update from `connection` (protocol.md §4) and returns the user's state after it.
    PresenceOutcome apply(ConnectionId connection, std::uint32_t userId, std::uint32_t status, std::uint32_t clientType);

    /// True when the user has a PC login anywhere: the ONLINE of protocol.md §4.
    bool isOnline(std::uint32_t userId) const;

    /// Writes, for each of `count` ids, whether it is online (protocol.md §4), under one shared lock.
    void queryOnline(const std::uint32_t* userIds, std::size_t count, std::vector<bool>& online) const;

    /// Removes everything `connection` contributed and returns the users who thereby lost
    /// their last PC login, in no particular order.
    std::vector<LostUser> removeConnection(ConnectionId connection);

    /// Every login of `userId` (empty when the user is unknown), for inspection and tests.
    std::vector<Login> loginsOf(std::uint32_t userId) const;

    /// Number of users hosted by at least one connection.
    std::size_t userCount() const;

private:
    class Table;

    mutable std::shared_mutex mutex_;
    std::unique_ptr<Table> table_;
};

} // namespace ttroute
