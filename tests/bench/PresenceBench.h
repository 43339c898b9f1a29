#pragma once

#include <Poco/Net/SocketAddress.h>

#include <cstdint>
#include <sys/types.h>

namespace ttbench
{

/// How the presence load runs: one fake msg server registers `users` single-device users in
/// bulk; then it disconnects, and (unless the server never announces a loss) another lists
/// the same users once they were announced offline. Meanwhile two others keep relaying to
/// each other and querying.
struct PresenceOptions
{
    Poco::Net::SocketAddress server;
    std::uint32_t users = 1000000;
    pid_t serverPid = 0; ///< to read the server's memory; 0: not measured
    double graceSeconds = 20; ///< the server's route.peer_loss_grace; negative: never
};

/// What a presence run measured.
struct PresenceResult
{
    double registerSeconds = 0;     ///< from the first ONLINE_USER_INFO byte until the server answered after it
    std::int64_t rssGrowthBytes = -1; ///< the server's RSS after minus before; -1 when not measured
    std::uint64_t wrongAnswers = 0; ///< sampled users not reported as they should be
    double removeSeconds = 0;       ///< from the disconnect until sampled users read offline
    double longestRegisterStallMs = 0; ///< the longest relay-and-query round on other connections while registering
    double longestStallMs = 0;      ///< the same while removing
    double announceSeconds = 0;     ///< from the disconnect until the last user was announced offline
    double longestAnnounceStallMs = 0; ///< the longest relay-and-query round elsewhere while announcing
    double returnSeconds = 0;       ///< from listing the users again until the last was announced online
    double longestReturnStallMs = 0;   ///< the same while announcing them online
};

/// Registers, checks, and removes the users; see PresenceOptions.
PresenceResult runPresence(const PresenceOptions& options);

} // namespace ttbench
