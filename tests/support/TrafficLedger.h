#pragma once

// What one fake msg server exchanged with the route server, counted as the route server must
// count it for that connection (GET /peers: pdus_in, bytes_in, pdus_out): tests send and sync
// through the ledger, then compare the server's counters with it.

#include "FakeMsgServer.h"
#include "WireFrames.h"

#include <cstdint>
#include <string>
#include <vector>

namespace tttest
{

/// One fake msg server's PDUs and bytes each way, as the route server should count them.
/// Heartbeats are not counted: tests that use it set no heartbeat interval to speak of.
class TrafficLedger
{
public:
    /// Counts what goes through `fake` from now on; `fake` must outlive the ledger.
    explicit TrafficLedger(FakeMsgServer& fake);

    /// The fake msg server whose traffic this is.
    FakeMsgServer& fake() const { return fake_; }

    /// Sends `frames` (one or more whole PDUs, as they are) and counts each PDU and every byte
    /// as received by the route server.
    void send(const std::string& frames);

    /// FakeMsgServer::sync(), counted: its status query as received by the route server, the
    /// frames that came before the answer and the answer itself as sent by it. Returns the
    /// frames before the answer.
    std::vector<WireFrame> sync();

    /// The PDUs the fake sent: the route server's pdus_in for it.
    std::uint64_t pdusIn() const { return pdusIn_; }

    /// The bytes the fake sent: the route server's bytes_in for it.
    std::uint64_t bytesIn() const { return bytesIn_; }

    /// The PDUs the fake received: the route server's pdus_out for it.
    std::uint64_t pdusOut() const { return pdusOut_; }

private:
    FakeMsgServer& fake_;      ///< whose traffic it is
    std::uint64_t pdusIn_ = 0;  ///< pdusIn()
    std::uint64_t bytesIn_ = 0; ///< bytesIn()
    std::uint64_t pdusOut_ = 0; ///< pdusOut()
};

} // namespace tttest
