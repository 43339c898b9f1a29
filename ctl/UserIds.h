#pragma once

#include <string>
#include <vector>

namespace ttctl
{

/// The user ids a command names, checked as TeamTalk has them (unsigned 32-bit numbers,
/// plain digits), and written as the admin endpoint's query.
class UserIds
{
public:
    /// The ids of `command`'s `arguments`; throws CtlError::usage() when there is none or one
    /// is not a user id.
    UserIds(const std::string& command, const std::vector<std::string>& arguments);

    /// "user=1&user=2", for /presence and /trace.
    std::string query() const;

private:
    std::vector<std::string> ids_;
};

} // namespace ttctl
