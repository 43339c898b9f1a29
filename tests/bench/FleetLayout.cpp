#include "FleetLayout.h"

#include "MsgServerFleet.h"

namespace ttbench
{

std::string msgServerName(int server, int servers)
{
    return "msg server " + std::to_string(server + 1) + " of " + std::to_string(servers);
}

FleetLayout::FleetLayout(const FleetOptions& options)
    : servers(options.servers)
    , senders(options.senders)
    , receivers(options.receivers)
    , queriers(options.queriers)
    , targeted(options.targeted)
{
}

int FleetLayout::target(int sender, std::uint64_t seq) const
{
    const auto k = static_cast<int>(seq % period());
    if (receivers > 0)
        return senders + k;
    return k < sender ? k : k + 1; // every msg server but the sender, in turn
}

std::uint64_t FleetLayout::firstFor(int sender, int server) const
{
    if (server == sender)
        return UINT64_MAX; // never its own messages back
    if (!targeted)
        return 0;
    if (receivers > 0)
        return server >= senders && server < senders + receivers ? static_cast<std::uint64_t>(server - senders) : UINT64_MAX;
    return static_cast<std::uint64_t>(server < sender ? server : server - 1);
}

} // namespace ttbench
