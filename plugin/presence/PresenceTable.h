#pragma once

// The table behind PresenceRegistry, for PresenceRegistry.cpp and PresenceTable.cpp only: an
// open-addressing map from user id to a 24-byte slot holding the user's logins.

#include "presence/PresenceRegistry.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <unordered_map>
#include <utility>
#include <vector>

namespace ttroute
{
namespace presence
{

/// The smallest table: it never shrinks below this many slots.
constexpr std::size_t kMinCapacity = 1024;

/// A Login packed into 8 bytes: the client type takes the top byte of the count word.
struct PackedLogin
{
    ConnectionId connection;
    std::uint32_t typeAndCount;

    std::uint32_t clientType() const { return typeAndCount >> 24; }
    std::uint32_t count() const { return typeAndCount & PresenceRegistry::kMaxCount; }
    void setCount(std::uint32_t count) { typeAndCount = (typeAndCount & ~PresenceRegistry::kMaxCount) | count; }
    static PackedLogin make(ConnectionId connection, std::uint32_t clientType, std::uint32_t count)
    {
        return PackedLogin{connection, ((clientType & 0xFF) << 24) | count};
    }
};

/// One table slot: a user and up to two of their (connection, client type) counts inline.
struct Slot
{
    static constexpr std::uint16_t kEmpty = 0;
    static constexpr std::uint16_t kSpilled = 3; ///< the logins live in the table's side map

    std::uint32_t userId;
    std::uint16_t state;    ///< kEmpty, 1 or 2 inline logins, or kSpilled
    std::uint16_t pcOnline; ///< 1 when some login is of a PC type: kept with every change, read by every query
    PackedLogin logins[2];
};

static_assert(sizeof(Slot) == 24, "a slot is meant to stay at 24 bytes");

/// A user's hash under `seed`: murmur3's 64-bit finaliser, so every bit of the id moves
/// every bit of the hash and the top bits (the home slot) are uniform.
inline std::uint64_t hashUser(std::uint32_t userId, std::uint64_t seed)
{
    std::uint64_t k = userId ^ seed;
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdull;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ull;
    k ^= k >> 33;
    return k;
}

} // namespace presence

/// Open-addressing map userId → Slot with linear probing and backward-shift deletion.
class PresenceRegistry::Table
{
public:
    using Slot = presence::Slot;
    using PackedLogin = presence::PackedLogin;

    /// An empty table of kMinCapacity slots, with a seed of its own.
    Table();

    Slot* find(std::uint32_t userId) { return const_cast<Slot*>(std::as_const(*this).find(userId)); }

    const Slot* find(std::uint32_t userId) const;

    /// See PresenceRegistry::capacityAfter().
    std::size_t capacityAfter(std::ptrdiff_t change) const;

    /// Keeps `slots` for the next resize, unless another writer's resize made them useless
    /// meanwhile (both saw the same resize coming; the first used its own slots).
    void provide(std::unique_ptr<PreparedSlots::Block> slots);

    Slot& insert(std::uint32_t userId);

    void erase(Slot& slot);

    /// Number of (connection, client type) logins of the user in `slot`.
    std::size_t loginCount(const Slot& slot) const;

    /// Calls f(PackedLogin&) for each login of the user in `slot`.
    template <typename F>
    void forEachLogin(Slot& slot, F&& f)
    {
        visitLogins(*this, slot, f);
    }

    /// Calls f(const PackedLogin&) for each login of the user in `slot`.
    template <typename F>
    void forEachLogin(const Slot& slot, F&& f) const
    {
        visitLogins(*this, slot, f);
    }

    bool hasPcLogin(const Slot& slot) const { return slot.pcOnline != 0; }

    void addLogin(Slot& slot, ConnectionId connection, std::uint32_t clientType);

    /// Decrements one login count (never below zero); drops the login when it reaches zero.
    void removeLogin(Slot& slot, ConnectionId connection, std::uint32_t clientType);

    /// Drops every login through `connection`; returns whether one of them was a PC login.
    bool removeConnectionLogins(Slot& slot, ConnectionId connection);

    /// Logins (counts summed) by clientTypeSlot().
    void addLoginsBySlot(std::uint64_t (&logins)[kClientTypeSlots]) const;

    /// What `connection` contributes, counted as presence changes.
    ConnectionPresence presenceOf(ConnectionId connection) const;

    /// Users with at least one login through `connection`, counted.
    std::size_t usersHostedBy(ConnectionId connection) const { return presenceOf(connection).users; }

    /// Users with at least one login through `connection`.
    std::vector<std::uint32_t> usersOn(ConnectionId connection) const;

    std::size_t size() const { return used_; }

private:
    /// The one walk over a user's logins, for const and mutable tables alike.
    template <typename TableType, typename SlotType, typename F>
    static void visitLogins(TableType& table, SlotType& slot, F& f)
    {
        if (slot.state == Slot::kSpilled)
            for (auto& login : table.spilled_.at(slot.userId))
                f(login);
        else
            for (std::uint32_t i = 0; i < slot.state; ++i)
                f(slot.logins[i]);
    }

    std::size_t capacity() const { return mask_ + 1; }

    /// Load factor at most 3/4.
    bool needsGrowth(std::size_t users) const { return users * 4 > capacity() * 3; }

    /// Below 1/8 full, down to a quarter of the size (1/2 full): no resizing back and forth.
    bool needsShrink(std::size_t users) const { return capacity() > presence::kMinCapacity && users * 8 < capacity(); }

    std::size_t shrunkCapacity() const { return std::max(presence::kMinCapacity, capacity() / 4); }
    std::size_t home(std::uint32_t userId) const { return static_cast<std::size_t>(presence::hashUser(userId, seed_) >> shift_); }

    bool hasLoginOn(const Slot& slot, ConnectionId connection) const;

    void stopHosting(ConnectionId connection);

    PackedLogin* findLogin(Slot& slot, ConnectionId connection, std::uint32_t clientType);

    /// Removes the logins `drop` selects, and moves spilled logins back inline when they fit.
    template <typename Predicate>
    void dropLogins(Slot& slot, Predicate drop)
    {
        removeMatching(slot, drop);
        bool pc = false;
        forEachLogin(slot, [&](const PackedLogin& login) { pc = pc || isPcClientType(login.clientType()); });
        slot.pcOnline = pc ? 1 : 0;
    }

    template <typename Predicate>
    void removeMatching(Slot& slot, Predicate drop)
    {
        if (slot.state == Slot::kSpilled)
        {
            auto& logins = spilled_.at(slot.userId);
            logins.erase(std::remove_if(logins.begin(), logins.end(), drop), logins.end());
            if (logins.size() <= 2)
            {
                slot.state = static_cast<std::uint16_t>(logins.size());
                std::copy(logins.begin(), logins.end(), slot.logins);
                spilled_.erase(slot.userId);
            }
            return;
        }
        std::uint16_t kept = 0;
        for (std::uint32_t i = 0; i < slot.state; ++i)
            if (!drop(slot.logins[i]))
                slot.logins[kept++] = slot.logins[i];
        slot.state = kept;
    }

    void rehash(std::size_t newCapacity);

    std::uint64_t seedState_;
    std::uint64_t seed_ = 0;
    std::unique_ptr<Slot[]> slots_;
    std::unique_ptr<PreparedSlots::Block> prepared_; ///< for the next resize, made without the lock
    std::size_t mask_ = 0;
    unsigned shift_ = 64;
    std::size_t used_ = 0;
    std::unordered_map<std::uint32_t, std::vector<PackedLogin>> spilled_;
    std::array<std::uint64_t, 256> loginsByType_{};                ///< by the client type's low byte
    std::unordered_map<ConnectionId, ConnectionPresence> hosted_;  ///< only connections hosting someone
};

// Inline: a status query looks up each of its ids (100 a query), and a call per id cost a
// tenth of the query's instructions (callgrind, ttbench query).
inline const presence::Slot* PresenceRegistry::Table::find(std::uint32_t userId) const
{
    for (std::size_t i = home(userId);; i = (i + 1) & mask_)
    {
        const Slot& slot = slots_[i];
        if (slot.state == Slot::kEmpty)
            return nullptr;
        if (slot.userId == userId)
            return &slot;
    }
}

/// Empty slots for one table size, made before the table resizes to it.
struct PreparedSlots::Block
{
    std::size_t capacity = 0;      ///< how many slots
    std::unique_ptr<presence::Slot[]> slots; ///< all empty
};

} // namespace ttroute
