#pragma once

// protocol.md §4 written out as plainly as possible, for the presence registry's tests to
// compare the registry with.

#include "presence/PresenceRegistry.h"

#include <cstdint>
#include <map>
#include <tuple>
#include <utility>
#include <vector>

namespace presencetest
{

/// (connection, client type, count), comparable and printable.
using LoginTuple = std::tuple<ttroute::ConnectionId, std::uint32_t, std::uint32_t>;

/// Who is logged in where, in plain maps: per user, a count per (connection, client type).
class Model
{
public:
    /// One status update: any status but OFFLINE adds a login, OFFLINE takes one away.
    void apply(ttroute::ConnectionId connection, std::uint32_t userId, std::uint32_t status, std::uint32_t clientType);

    /// Forgets every login through `connection`; returns the users who thereby lost their
    /// last PC login, with whether they are still known, sorted.
    std::vector<std::pair<std::uint32_t, bool>> removeConnection(ttroute::ConnectionId connection);

    /// True when `userId` has a PC login anywhere.
    bool isOnline(std::uint32_t userId) const;

    /// The logins of `userId`, sorted.
    std::vector<LoginTuple> logins(std::uint32_t userId) const;

    /// Users with at least one login.
    std::size_t userCount() const { return users_.size(); }

    /// Users with at least one login through `connection`.
    std::size_t usersHostedBy(ttroute::ConnectionId connection) const;

    /// Logins through `connection`, counts summed (or, with `users`, users having one), by
    /// client-type slot.
    std::vector<std::uint64_t> loginsOn(ttroute::ConnectionId connection, bool users = false) const;

    /// Every user's logins: count by (connection, client type), by user id.
    const auto& users() const { return users_; }

private:
    /// One user's logins: count by (connection, client type).
    using Logins = std::map<std::pair<ttroute::ConnectionId, std::uint32_t>, std::uint32_t>;

    /// True when `logins` hold a PC client type.
    static bool hasPc(const Logins& logins);

    /// Logins by user id; a user without logins has no entry.
    std::map<std::uint32_t, Logins> users_;
};

} // namespace presencetest
