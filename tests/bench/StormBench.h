#pragma once

#include "ConnectionStorm.h"
#include "MsgServerFleet.h"

#include <Poco/Net/SocketAddress.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <sys/types.h>

namespace ttbench
{

/// The storm load: established msg servers relay and query at a steady pace while thousands
/// of new connections arrive within about a second, each asking one status query; then
/// they all close at once.
struct StormOptions
{
    Poco::Net::SocketAddress server;
    pid_t serverPid = 0;          ///< for its descriptors and memory; 0: not measured
    bool targeted = false;        ///< the server relays in targeted mode
    int connections = 2000;       ///< the storm's new connections
    double openSeconds = 1;       ///< they are opened evenly over this long
    double hangSeconds = 10;      ///< one with neither an answer nor a close by then hangs
    int senders = 2;              ///< established msg servers relaying MSG_DATA ...
    int receivers = 2;            ///< ... to these
    std::size_t bodyBytes = 200;
    double rate = 1000;           ///< messages/s over the senders
    double queryRate = 500;       ///< status queries/s of the one established querier
    std::uint32_t ids = 100;      ///< ids per established query
    double beforeSeconds = 5;     ///< measured before the storm
    double settleSeconds = 15;    ///< after the close, how long the server's threads may take to end
};

/// What the server's process looked like at one moment.
struct ServerSnapshot
{
    std::uint64_t openFiles = 0;
    std::uint64_t rssBytes = 0;
    std::uint64_t threads = 0;
};

/// What a storm run measured.
struct StormResult
{
    FleetTally before;               ///< established traffic sent before the storm
    FleetTally during;               ///< sent while the storm connected and was answered
    FleetTally closing;              ///< sent while the storm's connections closed (until the server's descriptors were back)
    FleetTally settling;             ///< sent after that, while the server's threads for them ended
    StormOutcome storm;
    std::optional<ServerSnapshot> serverBefore;  ///< with the established connections only
    std::optional<ServerSnapshot> serverOpen;    ///< with the storm's served connections open too
    std::optional<ServerSnapshot> serverAfter;   ///< once they closed (and the descriptors came back, or 10 s passed)
    std::optional<ServerSnapshot> serverSettled; ///< once the server's threads were back too (or settleSeconds passed)
    double descriptorsBackSeconds = -1;         ///< from closing until the server's descriptors were back; -1: not back (or not measured)
    double threadsBackSeconds = -1;             ///< from closing until the server's threads were back; -1: not back (or not measured)

    /// True when nothing was lost, hung, or answered wrong, and the descriptors and the
    /// threads came back.
    bool clean() const;
};

/// Runs the storm against `options.server`; throws "who: what" when an established
/// connection fails.
StormResult runStorm(const StormOptions& options);

} // namespace ttbench
