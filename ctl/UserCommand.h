#pragma once

#include "Command.h"
#include "UserIds.h"

#include <string>
#include <vector>

namespace ttctl
{

/// `ttctl user ID...`: where each user is online (GET /presence), a row per user, msg
/// server and client type, with the user's status as a status query answers it; with
/// --json the server's answer.
class UserCommand : public Command
{
public:
    /// The users of `arguments`; prints JSON when `json` is set.
    UserCommand(const std::vector<std::string>& arguments, bool json);

    /// See the class comment.
    void run(const AdminClient& client, std::ostream& out) const override;

private:
    UserIds ids_;
    bool json_;
};

} // namespace ttctl
