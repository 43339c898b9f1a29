#include "PresenceModel.h"

#include "ProtocolConstants.h"
#include "wire/ProtocolIds.h"

#include <algorithm>
#include <iterator>

using ttroute::ConnectionId;
using namespace tttest::protocol;

namespace presencetest
{

void Model::apply(ConnectionId connection, std::uint32_t userId, std::uint32_t status, std::uint32_t clientType)
{
    const auto key = std::make_pair(connection, clientType);
    if (status != kOffline)
    {
        ++users_[userId][key];
        return;
    }
    auto user = users_.find(userId);
    if (user == users_.end())
        return;
    auto login = user->second.find(key);
    if (login == user->second.end())
        return;
    if (--login->second == 0)
        user->second.erase(login);
    if (user->second.empty())
        users_.erase(user);
}

std::vector<std::pair<std::uint32_t, bool>> Model::removeConnection(ConnectionId connection)
{
    std::vector<std::pair<std::uint32_t, bool>> lost;
    for (auto user = users_.begin(); user != users_.end();)
    {
        bool hadPc = false;
        for (auto login = user->second.begin(); login != user->second.end();)
        {
            if (login->first.first == connection)
            {
                hadPc = hadPc || ttroute::isPcClientType(login->first.second);
                login = user->second.erase(login);
            }
            else
                ++login;
        }
        const bool stillKnown = !user->second.empty();
        if (hadPc && !hasPc(user->second))
            lost.emplace_back(user->first, stillKnown);
        user = stillKnown ? std::next(user) : users_.erase(user);
    }
    std::sort(lost.begin(), lost.end());
    return lost;
}

bool Model::isOnline(std::uint32_t userId) const
{
    auto user = users_.find(userId);
    return user != users_.end() && hasPc(user->second);
}

std::vector<LoginTuple> Model::logins(std::uint32_t userId) const
{
    std::vector<LoginTuple> out;
    auto user = users_.find(userId);
    if (user != users_.end())
        for (const auto& [key, count] : user->second)
            out.emplace_back(key.first, key.second, count);
    std::sort(out.begin(), out.end());
    return out;
}

std::size_t Model::usersHostedBy(ConnectionId connection) const
{
    std::size_t hosted = 0;
    for (const auto& user : users_)
        hosted += std::any_of(user.second.begin(), user.second.end(),
                              [&](const auto& login) { return login.first.first == connection; });
    return hosted;
}

std::vector<std::uint64_t> Model::loginsOn(ConnectionId connection, bool users) const
{
    std::vector<std::uint64_t> logins(ttroute::kClientTypeSlots, 0);
    for (const auto& user : users_)
        for (const auto& [key, count] : user.second)
            if (key.first == connection && count > 0)
                logins[ttroute::clientTypeSlot(key.second)] += users ? 1 : count;
    return logins;
}

bool Model::hasPc(const Logins& logins)
{
    for (const auto& entry : logins)
        if (ttroute::isPcClientType(entry.first.second))
            return true;
    return false;
}

} // namespace presencetest
