#include "PresenceRegistry.h"

#include "presence/PresenceTable.h"

#include "wire/ProtocolIds.h"

#include <utility>

namespace ttroute
{

using presence::PackedLogin;
using presence::Slot;

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
