#pragma once

#include <cstdint>
#include <string>

namespace ttbench
{

struct FleetOptions;

/// Msg server i of a fleet hosts user kFleetUserBase + i. Every id up to kFleetUserBase +
/// kMaxFleetServers is a 3-byte varint, so every MSG_DATA of the fleet has the same layout
/// (MsgDataTemplate::stampOf).
constexpr std::uint32_t kFleetUserBase = 1100000;
/// The most msg servers a fleet may have.
constexpr int kMaxFleetServers = 900000;
/// Phases a fleet tells its traffic apart by (when it was sent).
constexpr int kFleetPhases = 4;
/// seq_num of the status query that confirms a msg server's registration.
constexpr std::uint16_t kFleetRegisterSeq = 0xFFFE;
/// seq_num of the status query that confirms a msg server's logging off.
constexpr std::uint16_t kFleetGoodbyeSeq = 0xFFFD;
/// user_id of every status query the fleet sends.
constexpr std::uint32_t kFleetRequester = 7;
/// A fleet stamp's sender field holds sender | phase << kPhaseShift.
constexpr std::uint32_t kPhaseShift = 24;
/// The sender's part of a stamp's sender field.
constexpr std::uint32_t kSenderMask = (1u << kPhaseShift) - 1;

/// "msg server I of N", as failures name a fleet's connection.
std::string msgServerName(int server, int servers);

/// Who each of a fleet's senders addresses, and so which copies each msg server should get.
struct FleetLayout
{
    /// The layout `options` describe.
    explicit FleetLayout(const FleetOptions& options);

    /// A sender's addressees repeat with this period.
    std::uint64_t period() const { return static_cast<std::uint64_t>(receivers > 0 ? receivers : servers - 1); }

    /// The msg server hosting the addressee of `sender`'s message `seq`.
    int target(int sender, std::uint64_t seq) const;

    /// The first message of `sender` that msg server `server` should get; UINT64_MAX for none.
    std::uint64_t firstFor(int sender, int server) const;

    /// Between one message of a sender at a msg server and its next.
    std::uint64_t step() const { return targeted ? period() : 1; }

    /// Copies each message should make: one in targeted mode, one per other msg server in broadcast mode.
    std::uint64_t copies() const { return targeted ? 1 : static_cast<std::uint64_t>(servers - 1); }

    /// The msg server of querier `q`.
    int querierServer(int q) const { return servers - queriers + q; }

    /// True when msg server `server`'s user logs in on a PC client (the queriers' users), so
    /// reads ONLINE. The others log in on a mobile client: hosted all the same for targeted
    /// relay, but a mobile login is announced neither when it comes nor when it goes, so a
    /// thousand msg servers connecting and leaving cost the server no notifications, and
    /// none is left to announce after route.peer_loss_grace (protocol.md §4, §5, §7).
    bool onPc(int server) const { return server >= servers - queriers; }

    /// The status a query must report for `id`: ONLINE (1) for a fleet user on a PC client,
    /// OFFLINE (2) for the others (mobile only, or nobody's).
    std::uint32_t statusOf(std::uint32_t id) const
    {
        if (id < kFleetUserBase || id >= kFleetUserBase + static_cast<std::uint32_t>(servers))
            return 2u;
        return onPc(static_cast<int>(id - kFleetUserBase)) ? 1u : 2u;
    }

    int servers;   ///< msg servers
    int senders;   ///< the first `senders` send MSG_DATA
    int receivers; ///< 0: senders address every other msg server; else the `receivers` after the senders
    int queriers;  ///< the last `queriers` send status queries
    bool targeted; ///< the server relays in targeted mode
};

} // namespace ttbench
