#include "PresenceTable.h"

#include "wire/ProtocolIds.h"

#include <cassert>
#include <random>

namespace ttroute
{
namespace
{

/// The next of a sequence of seeds (splitmix64).
std::uint64_t nextSeed(std::uint64_t& state)
{
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

} // namespace

PreparedSlots::PreparedSlots() = default;
PreparedSlots::~PreparedSlots() = default;
PreparedSlots::PreparedSlots(PreparedSlots&&) noexcept = default;
PreparedSlots& PreparedSlots::operator=(PreparedSlots&&) noexcept = default;

PresenceRegistry::Table::Table()
    : seedState_(std::random_device{}())
{
    rehash(presence::kMinCapacity);
}

std::size_t PresenceRegistry::Table::capacityAfter(std::ptrdiff_t change) const
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

void PresenceRegistry::Table::provide(std::unique_ptr<PreparedSlots::Block> slots)
{
    if (slots->capacity == capacity() * 2 || slots->capacity == shrunkCapacity())
        prepared_ = std::move(slots);
}

presence::Slot& PresenceRegistry::Table::insert(std::uint32_t userId)
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

void PresenceRegistry::Table::erase(Slot& slot)
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

std::size_t PresenceRegistry::Table::loginCount(const Slot& slot) const
{
    return slot.state == Slot::kSpilled ? spilled_.at(slot.userId).size() : slot.state;
}

void PresenceRegistry::Table::addLogin(Slot& slot, ConnectionId connection, std::uint32_t clientType)
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

void PresenceRegistry::Table::removeLogin(Slot& slot, ConnectionId connection, std::uint32_t clientType)
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

bool PresenceRegistry::Table::removeConnectionLogins(Slot& slot, ConnectionId connection)
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

void PresenceRegistry::Table::addLoginsBySlot(std::uint64_t (&logins)[kClientTypeSlots]) const
{
    for (std::size_t type = 0; type < loginsByType_.size(); ++type)
        logins[clientTypeSlot(static_cast<std::uint32_t>(type))] += loginsByType_[type];
}

ConnectionPresence PresenceRegistry::Table::presenceOf(ConnectionId connection) const
{
    const auto found = hosted_.find(connection);
    return found == hosted_.end() ? ConnectionPresence{} : found->second;
}

std::vector<std::uint32_t> PresenceRegistry::Table::usersOn(ConnectionId connection) const
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

bool PresenceRegistry::Table::hasLoginOn(const Slot& slot, ConnectionId connection) const
{
    bool found = false;
    forEachLogin(slot, [&](const PackedLogin& login) { found = found || login.connection == connection; });
    return found;
}

void PresenceRegistry::Table::stopHosting(ConnectionId connection)
{
    const auto found = hosted_.find(connection);
    if (--found->second.users == 0)
        hosted_.erase(found);
}

presence::PackedLogin* PresenceRegistry::Table::findLogin(Slot& slot, ConnectionId connection, std::uint32_t clientType)
{
    PackedLogin* match = nullptr;
    forEachLogin(slot, [&](PackedLogin& login) {
        if (login.connection == connection && login.clientType() == (clientType & 0xFF))
            match = &login;
    });
    return match;
}

void PresenceRegistry::Table::rehash(std::size_t newCapacity)
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

} // namespace ttroute
