#pragma once

#include "BenchSocket.h"

#include <memory>

namespace ttbench
{

/// One msg server of a fleet: its connection, and whether a writer thread of its own (a
/// sender's or a querier's) writes and heartbeats it; a reader heartbeats the others.
struct FleetConnection
{
    int index = 0;                       ///< its place in the fleet, from 0
    std::unique_ptr<BenchSocket> socket; ///< its connection to the route server
    bool writer = false;                 ///< a sender or querier
};

} // namespace ttbench
