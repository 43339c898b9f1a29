#pragma once

// Where the end-to-end tests of the admin endpoint's users (ttctl, the console's endpoints,
// the status page) start: the tthost of this build with its route listener and admin endpoint
// up, and the fake msg servers a test connects to it.

#include "FakeMsgServer.h"
#include "RunningHost.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace tttest
{

/// The tthost of this build serving a properties text (a RunningHost) and the fake msg servers
/// connected to it, which close before tthost is killed (should a test leave it running).
class HostWithMsgServers
{
public:
    /// Starts tthost with `properties`, which must listen for msg servers and for the admin
    /// endpoint on ephemeral ports, and waits until both listen.
    explicit HostWithMsgServers(const std::string& properties);

    /// The running tthost: its log, its properties file, its process.
    RunningHost& host() { return host_; }

    /// The route port, where msg servers connect.
    std::uint16_t port() const { return port_; }

    /// The admin endpoint's port.
    std::uint16_t admin() const { return admin_; }

    /// A new fake msg server connected to the route port that has sent nothing yet.
    FakeMsgServer& connect();

    /// A new fake msg server connected to the route port and admitted: its first sync() came
    /// back empty, so what is broadcast from now on reaches it.
    FakeMsgServer& connectAdmitted();

    /// Sends SIGTERM; fails the test, showing tthost's log, unless it exits with status 0.
    void stopCleanly();

private:
    RunningHost host_;                                  ///< the tthost
    std::uint16_t port_ = 0;                            ///< its route port
    std::uint16_t admin_ = 0;                           ///< its admin port
    std::vector<std::unique_ptr<FakeMsgServer>> fakes_; ///< last, so they go first
};

} // namespace tttest
