#include "UserIds.h"

#include "CtlError.h"

#include <cstdint>

namespace ttctl
{

UserIds::UserIds(const std::string& command, const std::vector<std::string>& arguments)
{
    if (arguments.empty())
        throw CtlError::usage(command + " needs at least one user id");
    for (const std::string& id : arguments)
    {
        if (id.empty() || id.size() > 10 || id.find_first_not_of("0123456789") != std::string::npos || std::stoull(id) > UINT32_MAX)
            throw CtlError::usage("'" + id + "' is not a user id (a number from 0 to 4294967295)");
        ids_.push_back(std::to_string(std::stoull(id)));
    }
}

std::string UserIds::query() const
{
    std::string query;
    for (const std::string& id : ids_)
        query += (query.empty() ? "user=" : "&user=") + id;
    return query;
}

} // namespace ttctl
