#pragma once

#include "Command.h"

namespace ttctl
{

/// `ttctl status`: the host (GET /host) and the route server (GET /status) as a short
/// "name: value" block; with --json one object, {"host": ..., "route": ...}.
class StatusCommand : public Command
{
public:
    /// Prints JSON when `json` is set.
    explicit StatusCommand(bool json);

    /// See the class comment.
    void run(const AdminClient& client, std::ostream& out) const override;

private:
    bool json_;
};

} // namespace ttctl
