#pragma once

#include "presence/ConnectionId.h"
#include "wire/ProtocolIds.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace ttroute
{

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

/// What one connection contributes to presence.
struct ConnectionPresence
{
    std::size_t users = 0;                            ///< users with at least one login through it
    std::uint64_t usersByType[kClientTypeSlots] = {}; ///< users with a login of the type through it, by clientTypeSlot()
    std::uint64_t logins[kClientTypeSlots] = {}; ///< its logins (counts summed), by clientTypeSlot()
};

/// Presence as a whole, in one look (GET /metrics, GET /status).
struct PresenceTotals
{
    std::size_t users = 0;                       ///< users hosted by at least one connection
    std::uint64_t logins[kClientTypeSlots] = {}; ///< logins everywhere (counts summed), by clientTypeSlot()
};

/// A user who lost their last PC login when a connection was removed (protocol.md §7, beyond).
struct LostUser
{
    std::uint32_t userId = 0;
    bool stillKnown = false; ///< still hosted elsewhere (mobile logins only)
};

/// Empty presence-table slots made ahead of a resize (PresenceRegistry::prepareSlots()).
class PreparedSlots
{
public:
    /// None: prepareSlots() makes them.
    PreparedSlots();
    /// Frees the slots unless provided to a table.
    ~PreparedSlots();
    /// Takes the slots over; the source holds none after.
    PreparedSlots(PreparedSlots&&) noexcept;
    /// Frees its own slots and takes the other's over.
    PreparedSlots& operator=(PreparedSlots&&) noexcept;

private:
    friend class PresenceRegistry;
    struct Block;
    std::unique_ptr<Block> block_;
};

/// Who is online where (protocol.md §4): user → connections → logins per client type.
///
/// Counts are kept per connection, so removing one connection is exact. Users live in one
/// flat open-addressing table (linear probing, backward-shift deletion) whose slots hold up
/// to two (connection, client type) counts inline: 24 bytes a slot, no heap node per user.
/// Users with more distinct logins spill into a side map. Not thread-safe by itself: the
/// Router guards it with the lock that also orders what it sends.
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

    /// The user's state now, as apply() would report it.
    PresenceOutcome stateOf(std::uint32_t userId) const;

    /// Writes, for each of `count` ids, whether it is online (protocol.md §4).
    void queryOnline(const std::uint32_t* userIds, std::size_t count, std::vector<std::uint8_t>& online) const;

    /// Users with at least one login through `connection`, in no particular order.
    std::vector<std::uint32_t> usersOn(ConnectionId connection) const;

    /// Removes every login of `userId` through `connection`; returns the user when that was
    /// their last PC login anywhere.
    std::optional<LostUser> removeLogins(ConnectionId connection, std::uint32_t userId);

    /// Removes everything `connection` contributed and returns the users who thereby lost
    /// their last PC login: usersOn() then removeLogins() for each, in one go.
    std::vector<LostUser> removeConnection(ConnectionId connection);

    /// Appends to `connections` every connection with a login of `userId` (none when the user
    /// is unknown); a connection may come more than once. Allocates nothing once `connections`
    /// has grown to its usual size.
    void appendConnectionsOf(std::uint32_t userId, std::vector<ConnectionId>& connections) const;

    /// Every login of `userId` (empty when the user is unknown), for inspection and tests.
    std::vector<Login> loginsOf(std::uint32_t userId) const;

    /// Number of users hosted by at least one connection.
    std::size_t userCount() const;

    /// Users and logins everywhere, kept as presence changes (no walk).
    PresenceTotals totals() const;

    /// Number of users with at least one login through `connection`.
    std::size_t usersHostedBy(ConnectionId connection) const;

    /// The users and logins `connection` contributes, kept as presence changes (no walk).
    ConnectionPresence presenceOf(ConnectionId connection) const;

    /// The capacity the table would resize to if `change` users came (positive) or went
    /// (negative) now; 0 when it would keep its size, or when slots for that resize are
    /// provided already (a user counted as coming may be known already, and ask again).
    std::size_t capacityAfter(std::ptrdiff_t change) const;

    /// `capacity` empty slots, made without touching the registry, so without the lock that
    /// guards it: clearing a million users' table is most of what resizing it costs.
    static PreparedSlots prepareSlots(std::size_t capacity);

    /// Gives the table `slots` for its next resize, if they still fit one (they are freed
    /// otherwise); a resize to another capacity frees them too.
    void provideSlots(PreparedSlots slots);

private:
    class Table;

    std::unique_ptr<Table> table_;
};

} // namespace ttroute
