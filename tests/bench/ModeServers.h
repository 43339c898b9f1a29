#pragma once

#include "BenchOptions.h"

#include <Poco/Net/SocketAddress.h>

#include <array>
#include <string>
#include <sys/types.h>

namespace ttbench
{

/// One of the two servers that the modes and scale modes measure side by side.
struct ModeServer
{
    const char* mode = "";            ///< its relay mode, as the report names it: "broadcast" or "targeted"
    Poco::Net::SocketAddress server;  ///< where it listens
    pid_t pid = 0;                    ///< its process, for its CPU; 0: not measured
    bool targeted = false;            ///< it relays in targeted mode
};

/// --port's server (broadcast mode), then --targeted-port's (targeted mode); throws
/// std::invalid_argument, naming the mode `who`, unless both were given.
std::array<ModeServer, 2> modeServers(const BenchOptions& options, const std::string& who);

} // namespace ttbench
