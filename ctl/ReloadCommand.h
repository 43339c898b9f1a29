#pragma once

#include "Command.h"

namespace ttctl
{

/// `ttctl reload`: has the server re-read its configuration file now (POST /reload) and
/// prints what it said: what changed, or that nothing did. A rejected file is a CtlError
/// kRefused with the reason; the running configuration stays. With --json the server's answer.
class ReloadCommand : public Command
{
public:
    /// Prints JSON when `json` is set.
    explicit ReloadCommand(bool json);

    /// See the class comment.
    void run(const AdminClient& client, std::ostream& out) const override;

private:
    bool json_;
};

} // namespace ttctl
