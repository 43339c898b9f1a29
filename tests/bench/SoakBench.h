#pragma once

#include "RelayBench.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ttbench
{

/// The relay load with every PDU checked byte for byte, while one more fake msg server
/// keeps logging users in and out and another keeps querying their status.
struct SoakOptions
{
    RelayOptions relay;          ///< verifyBytes is forced on
    std::uint32_t churnUsers = 1000; ///< users the churning connection logs in and out
};

/// What a soak run measured.
struct SoakResult
{
    RelayResult relay;
    std::uint64_t presenceUpdates = 0; ///< USER_STATUS_UPDATEs sent alongside
    std::uint64_t queries = 0;         ///< status queries answered alongside
    std::uint64_t wrongAnswers = 0;    ///< answers with ids out of order, or a steady user not online
};

/// Runs the soak against `options.relay.server`; throws "who: what" when any of its
/// connections fails, which stops the others.
SoakResult runSoak(const SoakOptions& options);

} // namespace ttbench
