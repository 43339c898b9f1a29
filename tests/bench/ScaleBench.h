#pragma once

#include "MsgServerFleet.h"

#include <Poco/Net/SocketAddress.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <sys/types.h>

namespace ttbench
{

/// One point of the scale load: `servers` fake msg servers, one user each, on one route
/// server (or on the in-process baseline forwarder); a few senders relay MSG_DATA to the
/// users of the others in turn, then a few connections send status queries.
struct ScaleOptions
{
    Poco::Net::SocketAddress server;
    pid_t serverPid = 0;         ///< for its CPU and its descriptors; 0: not measured
    bool baseline = false;       ///< measure the baseline forwarder instead (relay only), in the pattern `targeted` says
    bool targeted = false;       ///< the server (or the forwarder) sends each message to its addressee only
    int servers = 10;
    int senders = 4;
    int queriers = 4;
    std::size_t bodyBytes = 200;
    std::uint64_t window = 512;  ///< messages in flight per sender
    std::uint32_t batch = 64;
    std::uint32_t ids = 100;     ///< ids per status query
    double relaySeconds = 5;
    double querySeconds = 1;
};

/// What one point measured.
struct ScaleResult
{
    double relaySeconds = 0;            ///< from the first message until the last copy arrived
    FleetTally relay;                   ///< the relay phase
    std::optional<double> relayCpu;     ///< the server's (or forwarder's) CPU seconds in it
    std::optional<std::uint64_t> relayWrites; ///< the forwarder's writes in it (one per destination of a read)
    double querySeconds = 0;            ///< from the first query until the last answer
    FleetTally queries;                 ///< the query phase (none for the baseline)
    std::optional<double> queryCpu;     ///< the server's CPU seconds in it
    std::optional<std::int64_t> openFilesLeft; ///< server descriptors after the point minus before (with serverPid)
};

/// Connects the fleet, relays for options.relaySeconds, queries for options.querySeconds,
/// closes the fleet and (with a pid) waits a little for the server to close its side too.
/// Throws "who: what" when a connection fails.
ScaleResult runScalePoint(const ScaleOptions& options);

} // namespace ttbench
