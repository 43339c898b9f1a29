#include "ModeServers.h"

#include <stdexcept>

namespace ttbench
{

std::array<ModeServer, 2> modeServers(const BenchOptions& options, const std::string& who)
{
    if (!options.hasTargetedServer)
        throw std::invalid_argument(who + " needs --port (a server in broadcast mode) and --targeted-port (one in targeted mode)");
    return {ModeServer{"broadcast", options.server, options.serverPid, false},
            ModeServer{"targeted", options.targetedServer, options.targetedServerPid, true}};
}

} // namespace ttbench
