#pragma once

// The setup end-to-end suites share: one tthost of this build per test, with or without its
// admin endpoint, fake msg servers connected to it, and both gone when the test ends, however
// it ends.

#include "FakeMsgServer.h"
#include "HostProperties.h"
#include "RunningHost.h"

#include <cppunit/TestFixture.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace tttest
{

/// A CppUnit fixture whose tests each start one tthost and connect fake msg servers to it.
/// The msg servers live until the test ends (as locals of the test body would), then close
/// before tthost is killed, if the test left it running.
class HostFixture : public CppUnit::TestFixture
{
public:
    /// Closes the test's msg servers, then ends its tthost (SIGKILL unless it was stopped).
    void tearDown() override;

protected:
    /// Starts tthost on `properties` and waits until its route port listens.
    RunningHost& start(const HostProperties& properties);

    /// Starts tthost on `properties`, which turn the admin endpoint on (HostProperties::withAdmin()),
    /// and waits until both its route port and its admin endpoint listen; returns the admin port.
    std::uint16_t startWithAdmin(const HostProperties& properties);

    /// The tthost start() started.
    RunningHost& host();

    /// Its route port.
    std::uint16_t port() const { return port_; }

    /// A fake msg server connected to the route port (from `sourceAddress`, another loopback
    /// address, when one is given) and admitted: its first sync() came back empty, so what is
    /// broadcast from now on reaches it. It stays connected until the test ends.
    FakeMsgServer& connectMsgServer(const std::string& sourceAddress = "");

    /// A fake msg server connected to the route port (from `sourceAddress`, when one is given)
    /// that has sent nothing yet, not even the sync that admits it: for tests that count every
    /// PDU it exchanges (TrafficLedger) or see it listed as silent. It stays connected until
    /// the test ends.
    FakeMsgServer& connectSilentMsgServer(const std::string& sourceAddress = "");

    /// Sends SIGTERM; fails the test, showing the log, unless tthost then exits 0.
    void stopCleanly();

private:
    std::unique_ptr<RunningHost> host_;                       ///< none before start()
    std::uint16_t port_ = 0;                                  ///< host_'s route port
    std::vector<std::unique_ptr<FakeMsgServer>> msgServers_; ///< what connectMsgServer() and connectSilentMsgServer() connected
};

} // namespace tttest
