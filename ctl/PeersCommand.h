#pragma once

#include "Command.h"

namespace ttctl
{

/// `ttctl peers`: the connected msg servers (GET /peers), a row each; with --json the
/// server's answer.
class PeersCommand : public Command
{
public:
    /// Prints JSON when `json` is set.
    explicit PeersCommand(bool json);

    /// See the class comment.
    void run(const AdminClient& client, std::ostream& out) const override;

private:
    bool json_;
};

} // namespace ttctl
