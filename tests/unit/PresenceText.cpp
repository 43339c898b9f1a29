#include "PresenceText.h"

#include <algorithm>

namespace presencetest
{

std::vector<LoginTuple> sortedLogins(const ttroute::PresenceRegistry& registry, std::uint32_t userId)
{
    std::vector<LoginTuple> out;
    for (const ttroute::Login& login : registry.loginsOf(userId))
        out.emplace_back(login.connection, login.clientType, login.count);
    std::sort(out.begin(), out.end());
    return out;
}

std::string describe(const std::vector<LoginTuple>& logins)
{
    std::string out = "[";
    for (const auto& [connection, type, count] : logins)
        out += " (" + std::to_string(connection) + "," + std::to_string(type) + "," + std::to_string(count) + ")";
    return out + " ]";
}

std::string loginsOf(const ttroute::PresenceRegistry& registry, std::uint32_t userId)
{
    return describe(sortedLogins(registry, userId));
}

std::vector<std::pair<std::uint32_t, bool>> sortedLost(const std::vector<ttroute::LostUser>& lost)
{
    std::vector<std::pair<std::uint32_t, bool>> out;
    for (const ttroute::LostUser& user : lost)
        out.emplace_back(user.userId, user.stillKnown);
    std::sort(out.begin(), out.end());
    return out;
}

std::string describeLost(const std::vector<ttroute::LostUser>& lost)
{
    std::string out;
    for (const auto& [userId, stillKnown] : sortedLost(lost))
        out += (out.empty() ? " " : ", ") + std::to_string(userId) + (stillKnown ? " still known" : " forgotten");
    return "[" + out + " ]";
}

} // namespace presencetest
