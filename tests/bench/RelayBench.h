#pragma once

#include "FailureLatch.h"
#include "LatencyHistogram.h"

#include <Poco/Net/SocketAddress.h>

#include <cstddef>
#include <cstdint>
#include <functional>

namespace ttbench
{

/// How the relay load runs: S senders blast MSG_DATA in batched writes, each with at most
/// `window` PDUs not yet received, and R receivers count every PDU and time it.
struct RelayOptions
{
    Poco::Net::SocketAddress server;
    int senders = 2;
    int receivers = 2;
    std::size_t bodyBytes = 200;  ///< protobuf body of each MSG_DATA
    std::uint64_t window = 512;   ///< PDUs in flight per sender
    std::uint32_t batch = 64;     ///< PDUs per write at most
    double seconds = 5;
    double rate = 0;              ///< PDUs/s over all senders; 0: as fast as the window allows
    bool targeted = false;        ///< each PDU reaches only its addressee (route.relay.mode = targeted)
    bool verifyBytes = false;     ///< compare every PDU byte for byte with what its sender wrote
    /// Called after connecting when the server does not speak the protocol (the baseline
    /// forwarder); must return once all `connections` are served. Null: register users and
    /// confirm each connection with a status query.
    std::function<void(int connections)> awaitAccepted;
};

/// What a relay run measured.
struct RelayResult
{
    double seconds = 0;           ///< from the first send until the last PDU arrived
    std::uint64_t sent = 0;       ///< PDUs written by the senders
    std::uint64_t delivered = 0;  ///< PDUs counted by the receivers
    std::uint64_t expected = 0;   ///< PDUs the receivers should have counted
    std::uint64_t deliveredBytes = 0;
    std::uint64_t outOfOrder = 0; ///< duplicates or PDUs before ones already seen
    std::uint64_t corrupted = 0;  ///< PDUs whose bytes differ from what was sent (with verifyBytes)
    LatencyHistogram latency;

    /// PDUs a receiver should have got but did not.
    std::uint64_t lost() const { return expected > delivered ? expected - delivered : 0; }
};

/// Runs the relay load against `options.server` and returns what it measured. A failure of
/// any of its connections, or one recorded in `latch` by a thread beside it, stops the run
/// and is thrown as "who: what".
RelayResult runRelay(const RelayOptions& options, FailureLatch& latch);

/// The same, with a latch of its own.
RelayResult runRelay(const RelayOptions& options);

} // namespace ttbench
