#pragma once

#include <Poco/Net/SocketAddress.h>

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <vector>
#include <sys/types.h>

namespace ttbench
{

/// The command line of ttbench.
struct BenchOptions
{
    std::string mode;                  ///< relay, modes, query, presence, churn, soak, scale or storm
    bool help = false;
    Poco::Net::SocketAddress server;   ///< --host (loopback only) and --port
    bool hasServer = false;
    pid_t serverPid = 0;               ///< --server-pid: report its CPU and memory
    Poco::Net::SocketAddress targetedServer; ///< --targeted-port: a second server, in targeted relay mode (modes)
    bool hasTargetedServer = false;
    pid_t targetedServerPid = 0;       ///< --targeted-server-pid
    int runs = 1;                      ///< --runs: repeat and report the median
    bool baseline = false;             ///< --baseline: measure the in-process forwarder too (relay)
    double seconds = 5;                ///< --duration
    // relay
    int senders = 2;
    int receivers = 2;
    std::size_t bodyBytes = 200;
    std::uint64_t window = 0;          ///< --window; 0: the mode's default (relay 512, query 64)
    std::uint32_t batch = 64;
    double rate = 0;
    bool targeted = false;
    // query, presence, churn
    std::uint32_t users = 100000;
    int connections = 4;
    std::uint32_t ids = 100;
    std::uint32_t cycles = 1000;
    double graceSeconds = 20;          ///< --grace: the server's route.peer_loss_grace in seconds; negative: never (presence)
    // scale, storm
    std::vector<int> servers{10, 100, 1000}; ///< --servers: msg server counts to measure (scale)
    double queryRate = 0;              ///< --query-rate: status queries/s (storm); 0: the mode's default
    std::set<std::string> given;       ///< the options the command line named, for modes whose defaults differ

    /// True when the command line named option `key` (without the dashes).
    bool isGiven(const std::string& key) const { return given.count(key) > 0; }

    /// Parses `argv`; throws std::invalid_argument with a readable message.
    static BenchOptions parse(int argc, char** argv);

    /// The help text.
    static std::string usage();
};

} // namespace ttbench
