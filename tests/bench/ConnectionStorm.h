#pragma once

#include "LatencyHistogram.h"

#include <Poco/Net/SocketAddress.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace ttbench
{

class FailureLatch;

/// How a storm of new connections ended: every connection is either answered (the server
/// serves it), closed (refused: at connect or by the server), or hung (neither in time).
struct StormOutcome
{
    int opened = 0;                 ///< connections whose connect was started
    int answered = 0;               ///< got the answer to their status query: served
    int closed = 0;                 ///< refused at connect or closed by the server before answering
    int refusedAtConnect = 0;       ///< of `closed`: the connect itself failed
    int hung = 0;                   ///< neither answered nor closed within the hang limit
    int wrongAnswers = 0;           ///< answers that did not report the statuses expected
    int droppedAfterAnswer = 0;     ///< served connections the server closed afterwards, while held
    double openSeconds = 0;         ///< from the first connect to the last
    double settledSeconds = 0;      ///< from the first connect until every connection was answered, closed or hung
    LatencyHistogram toAnswer;      ///< from connect() to the answer, for the served ones
    LatencyHistogram toClose;       ///< from connect() to the close, for the refused ones
    std::int64_t longestNs = 0;     ///< the longest time from connect() to an answer or a close
};

/// Thousands of new connections to the route server, opened within about a second with
/// non-blocking connects, each sending one status query and waiting for its answer or for
/// the server closing it; all on the calling thread, with one epoll. The served ones stay
/// open (read, and heartbeated like msg servers) until closeAll() closes them all at once.
class ConnectionStorm
{
public:
    /// A storm of `count` connections to `server` (loopback only); each asks about `expected`
    /// ids, in order, and the answer must report each with its status (1 online, 2 offline).
    ConnectionStorm(const Poco::Net::SocketAddress& server, int count, std::vector<std::pair<std::uint32_t, std::uint32_t>> expected);

    /// Closes whatever is still open.
    ~ConnectionStorm();

    ConnectionStorm(const ConnectionStorm&) = delete;
    ConnectionStorm& operator=(const ConnectionStorm&) = delete;

    /// Opens every connection, spread evenly over `openSeconds`, and returns once each was
    /// answered or closed, or `hangSeconds` passed since it was opened; returns early, with
    /// what it saw so far, when `latch` records a failure elsewhere.
    StormOutcome run(double openSeconds, double hangSeconds, const FailureLatch& latch);

    /// Keeps reading (and heartbeating) the served connections for `seconds`.
    void hold(double seconds);

    /// Closes every connection at once.
    void closeAll();

private:
    using Clock = std::chrono::steady_clock;

    enum class State
    {
        Idle,       ///< not opened yet
        Connecting, ///< connect() in progress
        Querying,   ///< the query is (being) written, no answer yet
        Answered,   ///< served: held open
        Closed      ///< refused, or closed afterwards
    };

    /// One connection of the storm.
    struct Link
    {
        int fd = -1;
        State state = State::Idle;
        Clock::time_point opened;
        Clock::time_point lastSend;
        std::string in;  ///< received bytes not yet a whole frame (until answered)
        std::string out; ///< bytes not yet written
    };

    /// Opens connection `index`: a non-blocking connect, its query queued.
    void open(std::size_t index);
    /// Handles what epoll reported for connection `index`.
    void onEvent(std::size_t index, std::uint32_t events);
    /// Connection `index` is established: it starts writing its query.
    void connected(std::size_t index);
    /// Writes what connection `index` has queued, as far as the socket takes it.
    void flush(std::size_t index);
    /// Reads connection `index`: its answer, or the server closing it.
    void readFrom(std::size_t index);
    /// Connection `index` was answered or closed (`state`): counts it and its time.
    void settle(std::size_t index, State state);
    /// The server closed connection `index`: a refusal before its answer, a drop after it.
    void closedByServer(std::size_t index);
    /// Closes `link`'s socket for good.
    void closeLink(Link& link);
    /// Has epoll report `events` of connection `index` (`operation`: EPOLL_CTL_ADD or _MOD); false when it refused.
    bool watch(std::size_t index, int operation, std::uint32_t events);
    /// Heartbeats, at most once a second, the open connections that sent nothing for a while.
    void keepAlive(Clock::time_point now);
    /// True when `body` is the answer the storm expects.
    bool answerIsRight(const char* body, std::size_t size) const;
    /// Waits up to `timeoutMs` for events and handles them.
    void poll(int timeoutMs);

    Poco::Net::SocketAddress server_;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> expected_;
    std::string query_; ///< the status query every connection sends
    int epoll_;
    std::vector<Link> links_;
    StormOutcome outcome_;
    int unsettled_ = 0; ///< opened, neither answered nor closed
    Clock::time_point first_;         ///< the first connect
    Clock::time_point lastKeepAlive_; ///< the last heartbeat check
};

} // namespace ttbench
