#pragma once

#include "Command.h"

#include <string>
#include <vector>

namespace ttctl
{

/// `ttctl drain PEER`: closes one msg server's connection gracefully (POST /drain), so it
/// reconnects, possibly to another route server. PEER is the id `ttctl peers` shows, or the
/// msg server's address (HOST:PORT) as it shows it. With --json the server's answer.
class DrainCommand : public Command
{
public:
    /// The peer of `arguments` (exactly one); prints JSON when `json` is set.
    DrainCommand(const std::vector<std::string>& arguments, bool json);

    /// See the class comment.
    void run(const AdminClient& client, std::ostream& out) const override;

private:
    std::string peerId(const AdminClient& client) const;

    std::string peer_;
    bool json_;
};

} // namespace ttctl
