#include "PresenceRegistry.h"

#include "ProtocolIds.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <random>
#include <unordered_map>
#include <utility>

namespace ttroute
{

namespace
{

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
std::uint64_t hashUser(std::uint32_t userId, std::uint64_t seed)
{
    std::uint64_t k = userId ^ seed;
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdull;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ull;
    k ^= k >> 33;
    return k;
}

/// The next of a sequence of seeds (splitmix64).
std::uint64_t nextSeed(std::uint64_t& state)
{
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

} // namespace

/// Empty slots for one table size, made before the table resizes to it.
struct PreparedSlots::Block
{
    std::size_t capacity = 0;      ///< how many slots
    std::unique_ptr<Slot[]> slots; ///< all empty
};

PreparedSlots::PreparedSlots() = default;
PreparedSlots::~PreparedSlots() = default;
PreparedSlots::PreparedSlots(PreparedSlots&&) noexcept = default;
PreparedSlots& PreparedSlots::operator=(PreparedSlots&&) noexcept = default;

/// Open-addressing map userId → Slot with linear probing and backward-shift deletion.
class PresenceRegistry::Table
{
public:
    Table()
        : seedState_(std::random_device{}())
    {
        rehash(kMinCapacity);
    }

    Slot* find(std::uint32_t userId) { return const_cast<Slot*>(std::as_const(*this).find(userId)); }

    const Slot* find(std::uint32_t userId) const
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

    /// See PresenceRegistry::capacityAfter().
    std::size_t capacityAfter(std::ptrdiff_t change) const
    {
        std::size_t next = 0;
        if (change > 0)
            next = needsGrowth(used_ + static_cast<std::size_t>(change)) ? capacity() * 2 : 0;
        else
        {
            const std::size_t gone = static_cast<std::size_t>(-change);
            next = needsShrink(used_ > gone ? used_ - gone : 0) ? shrunkCapacity() : 0;
        }
        return prepared_ && prepared_->capacity == next ? 0 : next;
    }

    /// Keeps `slots` for the next resize, unless another writer's resize made them useless
    /// meanwhile (both saw the same resize coming; the first used its own slots).
    void provide(std::unique_ptr<PreparedSlots::Block> slots)
    {
        if (slots->capacity == capacity() * 2 || slots->capacity == shrunkCapacity())
            prepared_ = std::move(slots);
    }

    Slot& insert(std::uint32_t userId)
    {
        if (needsGrowth(used_ + 1))
            rehash(capacity() * 2);
        std::size_t i = home(userId);
        while (slots_[i].state != Slot::kEmpty)
            i = (i + 1) & mask_;
        ++used_;
        slots_[i] = Slot{userId, 0, 0, {}};
        return slots_[i];
    }

    void erase(Slot& slot)
    {
        assert(slot.state != Slot::kSpilled);
        std::size_t hole = static_cast<std::size_t>(&slot - slots_.get());
        // Backward shift: pull later members of the probe run into the hole, so lookups
        // never need tombstones.
        for (std::size_t i = (hole + 1) & mask_; slots_[i].state != Slot::kEmpty; i = (i + 1) & mask_)
        {
            const std::size_t want = home(slots_[i].userId);
            if (((i - want) & mask_) >= ((i - hole) & mask_))
            {
                slots_[hole] = slots_[i];
                hole = i;
            }
        }
        slots_[hole].state = Slot::kEmpty;
        --used_;
        if (needsShrink(used_))
            rehash(shrunkCapacity());
    }

    /// Number of (connection, client type) logins of the user in `slot`.
    std::size_t loginCount(const Slot& slot) const
    {
        return slot.state == Slot::kSpilled ? spilled_.at(slot.userId).size() : slot.state;
    }

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

    void addLogin(Slot& slot, ConnectionId connection, std::uint32_t clientType)
    {
        PackedLogin* match = findLogin(slot, connection, clientType);
        if (match)
        {
            if (match->count() < kMaxCount)
            {
                match->setCount(match->count() + 1);
                ++loginsByType_[clientType & 0xFF];
                ++hosted_[connection].logins[clientTypeSlot(clientType & 0xFF)];
            }
            return;
        }
        ConnectionPresence& hosting = hosted_[connection];
        if (!hasLoginOn(slot, connection))
            ++hosting.users;
        ++hosting.usersByType[clientTypeSlot(clientType & 0xFF)];
        ++hosting.logins[clientTypeSlot(clientType & 0xFF)];
        ++loginsByType_[clientType & 0xFF];
        const PackedLogin login = PackedLogin::make(connection, clientType, 1);
        if (slot.state < 2)
            slot.logins[slot.state++] = login;
        else if (slot.state == 2)
        {
            spilled_[slot.userId] = {slot.logins[0], slot.logins[1], login};
            slot.state = Slot::kSpilled;
        }
        else
            spilled_.at(slot.userId).push_back(login);
        slot.pcOnline |= isPcClientType(clientType) ? 1 : 0;
    }

    /// Decrements one login count (never below zero); drops the login when it reaches zero.
    void removeLogin(Slot& slot, ConnectionId connection, std::uint32_t clientType)
    {
        PackedLogin* match = findLogin(slot, connection, clientType);
        if (!match)
            return;
        match->setCount(match->count() - 1);
        --loginsByType_[clientType & 0xFF];
        ConnectionPresence& hosting = hosted_.find(connection)->second;
        --hosting.logins[clientTypeSlot(clientType & 0xFF)];
        if (match->count() != 0)
            return;
        --hosting.usersByType[clientTypeSlot(clientType & 0xFF)];
        dropLogins(slot, [&](const PackedLogin& login) { return &login == match; });
        if (!hasLoginOn(slot, connection))
            stopHosting(connection);
    }

    /// Drops every login through `connection`; returns whether one of them was a PC login.
    bool removeConnectionLogins(Slot& slot, ConnectionId connection)
    {
        bool hadPc = false;
        bool hadAny = false;
        dropLogins(slot, [&](const PackedLogin& login) {
            if (login.connection != connection)
                return false;
            hadAny = true;
            hadPc = hadPc || isPcClientType(login.clientType());
            loginsByType_[login.clientType()] -= login.count();
            ConnectionPresence& hosting = hosted_.find(connection)->second;
            hosting.logins[clientTypeSlot(login.clientType())] -= login.count();
            --hosting.usersByType[clientTypeSlot(login.clientType())];
            return true;
        });
        if (hadAny)
            stopHosting(connection);
        return hadPc;
    }

    /// Logins (counts summed) by clientTypeSlot().
    void addLoginsBySlot(std::uint64_t (&logins)[kClientTypeSlots]) const
    {
        for (std::size_t type = 0; type < loginsByType_.size(); ++type)
            logins[clientTypeSlot(static_cast<std::uint32_t>(type))] += loginsByType_[type];
    }

    /// What `connection` contributes, counted as presence changes.
    ConnectionPresence presenceOf(ConnectionId connection) const
    {
        const auto found = hosted_.find(connection);
        return found == hosted_.end() ? ConnectionPresence{} : found->second;
    }

    /// Users with at least one login through `connection`, counted.
    std::size_t usersHostedBy(ConnectionId connection) const { return presenceOf(connection).users; }

    /// Users with at least one login through `connection`.
    std::vector<std::uint32_t> usersOn(ConnectionId connection) const
    {
        // The count says how many to look for: a connection that hosts nobody (most short
        // lived ones) costs no walk, and the walk stops at the last of its users.
        const std::size_t hosted = usersHostedBy(connection);
        std::vector<std::uint32_t> users;
        users.reserve(hosted);
        for (std::size_t i = 0; i < capacity() && users.size() < hosted; ++i)
        {
            const Slot& slot = slots_[i];
            if (slot.state == Slot::kEmpty)
                continue;
            bool onConnection = false;
            forEachLogin(slot, [&](const PackedLogin& login) { onConnection = onConnection || login.connection == connection; });
            if (onConnection)
                users.push_back(slot.userId);
        }
        return users;
    }

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
    bool needsShrink(std::size_t users) const { return capacity() > kMinCapacity && users * 8 < capacity(); }

    std::size_t shrunkCapacity() const { return std::max(kMinCapacity, capacity() / 4); }
    std::size_t home(std::uint32_t userId) const { return static_cast<std::size_t>(hashUser(userId, seed_) >> shift_); }

    bool hasLoginOn(const Slot& slot, ConnectionId connection) const
    {
        bool found = false;
        forEachLogin(slot, [&](const PackedLogin& login) { found = found || login.connection == connection; });
        return found;
    }

    void stopHosting(ConnectionId connection)
    {
        const auto found = hosted_.find(connection);
        if (--found->second.users == 0)
            hosted_.erase(found);
    }

    PackedLogin* findLogin(Slot& slot, ConnectionId connection, std::uint32_t clientType)
    {
        PackedLogin* match = nullptr;
        forEachLogin(slot, [&](PackedLogin& login) {
            if (login.connection == connection && login.clientType() == (clientType & 0xFF))
                match = &login;
        });
        return match;
    }

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

    void rehash(std::size_t newCapacity)
    {
        auto old = std::move(slots_);
        const std::size_t oldCapacity = old ? capacity() : 0;
        if (prepared_ && prepared_->capacity == newCapacity)
            slots_ = std::move(prepared_->slots);
        else
            slots_ = std::make_unique<Slot[]>(newCapacity);
        prepared_.reset();
        mask_ = newCapacity - 1;
        shift_ = 64 - static_cast<unsigned>(__builtin_ctzll(newCapacity));
        // A new seed when the table shrinks: the users left after a connection's departure
        // are the ones whose hashes it did not cover, and under the old hash they would crowd
        // into one corner of a smaller table. Growing keeps the seed: every home slot i then
        // becomes 2i or 2i + 1, so walking the old table in order fills the new one nearly in
        // order too, a streaming copy instead of a cache miss per user (a million users move
        // in a few milliseconds, not a hundred, while the presence lock is held). A
        // per-process random seed keeps chosen ids from being made to collide.
        if (newCapacity < oldCapacity || oldCapacity == 0)
            seed_ = nextSeed(seedState_);
        for (std::size_t i = 0; i < oldCapacity; ++i)
        {
            if (old[i].state == Slot::kEmpty)
                continue;
            std::size_t j = home(old[i].userId);
            while (slots_[j].state != Slot::kEmpty)
                j = (j + 1) & mask_;
            slots_[j] = old[i];
        }
    }

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

PresenceRegistry::PresenceRegistry()
    : table_(std::make_unique<Table>())
{
}

PresenceRegistry::~PresenceRegistry() = default;

PresenceOutcome PresenceRegistry::apply(ConnectionId connection, std::uint32_t userId, std::uint32_t status, std::uint32_t clientType)
{
    Slot* slot = table_->find(userId);
    if (status == UserStatus::Offline)
    {
        if (!slot)
            return {};
        table_->removeLogin(*slot, connection, clientType);
        if (table_->loginCount(*slot) == 0)
        {
            table_->erase(*slot);
            return {};
        }
    }
    else
    {
        if (!slot)
            slot = &table_->insert(userId);
        table_->addLogin(*slot, connection, clientType);
    }
    return {true, table_->hasPcLogin(*slot)};
}

bool PresenceRegistry::isOnline(std::uint32_t userId) const
{
    const Slot* slot = table_->find(userId);
    return slot && table_->hasPcLogin(*slot);
}

PresenceOutcome PresenceRegistry::stateOf(std::uint32_t userId) const
{
    const Slot* slot = table_->find(userId);
    return {slot != nullptr, slot && table_->hasPcLogin(*slot)};
}

void PresenceRegistry::queryOnline(const std::uint32_t* userIds, std::size_t count, std::vector<std::uint8_t>& online) const
{
    online.resize(count);
    for (std::size_t i = 0; i < count; ++i)
    {
        const Slot* slot = table_->find(userIds[i]);
        online[i] = slot && table_->hasPcLogin(*slot);
    }
}

std::vector<std::uint32_t> PresenceRegistry::usersOn(ConnectionId connection) const
{
    return table_->usersOn(connection);
}

std::optional<LostUser> PresenceRegistry::removeLogins(ConnectionId connection, std::uint32_t userId)
{
    Slot* slot = table_->find(userId);
    if (!slot)
        return std::nullopt;
    const bool hadPc = table_->removeConnectionLogins(*slot, connection);
    const bool stillKnown = table_->loginCount(*slot) > 0;
    const bool pcLeft = stillKnown && table_->hasPcLogin(*slot);
    if (!stillKnown)
        table_->erase(*slot);
    if (hadPc && !pcLeft)
        return LostUser{userId, stillKnown};
    return std::nullopt;
}

std::vector<LostUser> PresenceRegistry::removeConnection(ConnectionId connection)
{
    std::vector<LostUser> lost;
    for (std::uint32_t userId : usersOn(connection))
        if (const auto user = removeLogins(connection, userId))
            lost.push_back(*user);
    return lost;
}

void PresenceRegistry::appendConnectionsOf(std::uint32_t userId, std::vector<ConnectionId>& connections) const
{
    if (const Slot* slot = table_->find(userId))
        table_->forEachLogin(*slot, [&](const PackedLogin& login) { connections.push_back(login.connection); });
}

std::vector<Login> PresenceRegistry::loginsOf(std::uint32_t userId) const
{
    std::vector<Login> logins;
    const Slot* slot = table_->find(userId);
    if (slot)
        table_->forEachLogin(*slot, [&](const PackedLogin& login) {
            logins.push_back({login.connection, login.clientType(), login.count()});
        });
    return logins;
}

PresenceTotals PresenceRegistry::totals() const
{
    PresenceTotals totals;
    totals.users = table_->size();
    table_->addLoginsBySlot(totals.logins);
    return totals;
}

std::size_t PresenceRegistry::usersHostedBy(ConnectionId connection) const
{
    return table_->usersHostedBy(connection);
}

ConnectionPresence PresenceRegistry::presenceOf(ConnectionId connection) const
{
    return table_->presenceOf(connection);
}

std::size_t PresenceRegistry::capacityAfter(std::ptrdiff_t change) const
{
    return table_->capacityAfter(change);
}

PreparedSlots PresenceRegistry::prepareSlots(std::size_t capacity)
{
    PreparedSlots prepared;
    prepared.block_ = std::make_unique<PreparedSlots::Block>(PreparedSlots::Block{capacity, std::make_unique<Slot[]>(capacity)});
    return prepared;
}

void PresenceRegistry::provideSlots(PreparedSlots slots)
{
    table_->provide(std::move(slots.block_));
}

std::size_t PresenceRegistry::userCount() const
{
    return table_->size();
}

} // namespace ttroute
