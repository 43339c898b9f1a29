#pragma once

#include "FailureLatch.h"
#include "FleetLayout.h"
#include "LatencyHistogram.h"

#include <Poco/Net/SocketAddress.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>

namespace ttbench
{

/// How a fleet of fake msg servers is laid out and what load it runs.
struct FleetOptions
{
    Poco::Net::SocketAddress server;
    int servers = 10;               ///< fake msg servers (connections), each hosting one user
    int senders = 4;                ///< the first `senders` of them send MSG_DATA
    int receivers = 0;              ///< 0: each sender addresses every other msg server's user in turn; else only the `receivers` msg servers after the senders
    int queriers = 0;               ///< the last `queriers` msg servers send status queries (never a sender too)
    bool targeted = false;          ///< the server relays in targeted mode: a message reaches its addressee only
    bool speaksProtocol = true;     ///< false for the baseline forwarder: no registration is confirmed and no query answered (targeted: each msg server still lists its user)
    std::size_t bodyBytes = 200;    ///< protobuf body of each MSG_DATA
    std::uint64_t window = 512;     ///< messages per sender not yet delivered everywhere they go
    std::uint32_t batch = 64;       ///< messages per write at most
    double rate = 0;                ///< messages/s over all senders; 0: as fast as the window allows
    std::uint32_t ids = 100;        ///< ids per status query
    std::uint32_t queryWindow = 16; ///< queries per querier awaiting their answer
    double queryRate = 0;           ///< queries/s over all queriers; 0: as fast as the window allows
    int readers = 2;                ///< epoll threads that read every connection
    /// Without the protocol: called once every connection is open (and, targeted, has listed
    /// its user); returns once the forwarder accepted them all (and knows every user), throws
    /// when it does not in time.
    std::function<void(int connections)> awaitAccepted;
};

/// What the fleet counted for the traffic sent during one phase.
struct FleetTally
{
    std::uint64_t messages = 0;     ///< MSG_DATA sent
    std::uint64_t expected = 0;     ///< copies that should arrive: one per message (targeted), one per other msg server (broadcast)
    std::uint64_t delivered = 0;    ///< copies that arrived where they should
    std::uint64_t outOfOrder = 0;   ///< copies behind one already seen from the same sender: duplicates or reordering
    std::uint64_t misdelivered = 0; ///< copies at a msg server that should not get them, or with a damaged stamp
    LatencyHistogram relayLatency;  ///< from sending a message to each copy's arrival
    std::uint64_t queries = 0;      ///< status queries sent
    std::uint64_t answers = 0;      ///< answers received
    std::uint64_t wrongAnswers = 0; ///< answers with a wrong id, status, order, requester or stamp
    LatencyHistogram queryLatency;  ///< from sending a query to its answer

    /// Copies that should have arrived but did not.
    std::uint64_t lost() const { return expected > delivered ? expected - delivered : 0; }

    /// Queries that got no answer.
    std::uint64_t unanswered() const { return queries > answers ? queries - answers : 0; }

    /// True when nothing was lost, reordered, misdelivered, unanswered or answered wrong.
    bool clean() const { return lost() == 0 && outOfOrder == 0 && misdelivered == 0 && unanswered() == 0 && wrongAnswers == 0; }
};

/// N fake msg servers on one route server, each hosting one user. Every connection is read
/// by a few epoll threads (a thousand connections need no thousand threads) that check every
/// MSG_DATA copy (sender, order, addressee, stamp) and every status answer; the senders and
/// the queriers write from threads of their own. Each connection heartbeats from the one
/// thread that writes on it. Traffic is counted by the phase it was sent in, so a run can
/// compare before, during and after something happens elsewhere.
class MsgServerFleet
{
public:
    /// Phases a run can tell apart.
    static constexpr int kPhases = kFleetPhases;

    /// Connects every msg server and registers its user (ONLINE_USER_INFO, confirmed by a
    /// status query's answer), then starts the threads; no traffic flows yet. A failure of
    /// any connection, now or later, goes to `latch` as "msg server I of N: what".
    MsgServerFleet(const FleetOptions& options, FailureLatch& latch);

    /// Stops every thread and closes every connection.
    ~MsgServerFleet();

    MsgServerFleet(const MsgServerFleet&) = delete;
    MsgServerFleet& operator=(const MsgServerFleet&) = delete;

    /// Traffic sent from now on counts for `phase` (0 until called).
    void beginPhase(int phase);

    /// The senders start (or resume) relaying.
    void startRelay();

    /// Stops the senders, waits (at most 10 s) for every copy still in flight, and returns
    /// the seconds from startRelay() until then.
    double stopRelay();

    /// The queriers start (or resume) querying.
    void startQueries();

    /// Stops the queriers, waits (at most 10 s) for every answer still due, and returns the
    /// seconds from startQueries() until then.
    double stopQueries();

    /// Stops every thread, then logs every user off (USER_STATUS_UPDATE offline, confirmed by
    /// a status query's answer), so that closing leaves the server nothing to hold: a PC
    /// user lost with its connection is announced offline after route.peer_loss_grace, to
    /// whatever connections exist then, and announced online again when a later run lists it.
    void logOff();

    /// The user msg server `server` hosts.
    static std::uint32_t userOf(int server) { return kFleetUserBase + static_cast<std::uint32_t>(server); }

    /// The status (1 online, 2 offline) a status query must report for `id` while the fleet is connected.
    std::uint32_t statusOf(std::uint32_t id) const;

    /// What was counted for `phase`; final once its traffic was stopped.
    FleetTally tally(int phase) const;

private:
    struct State;
    std::unique_ptr<State> state_;
};

} // namespace ttbench
