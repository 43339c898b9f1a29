#pragma once

#include <Poco/Net/SocketAddress.h>

#include <atomic>
#include <cstdint>
#include <sys/types.h>
#include <thread>

namespace ttbench
{

/// The yardstick: a minimal single-threaded epoll program on an ephemeral loopback port that
/// forwards the complete frames of each read, as a route server would in either relay mode,
/// and does nothing else. What it delivers is what this machine can move; the route server
/// is quoted as a fraction of it, measured in the same run.
class BaselineForwarder
{
public:
    /// Where the frames of a read go.
    enum class Pattern
    {
        ToEveryOther, ///< every frame to every other connection, in one write each (broadcast relay)
        ToAddressee,  ///< each MSG_DATA to the connection that listed its to_session_id in an
                      ///< ONLINE_USER_INFO, never back to the sender, the frames of a read
                      ///< gathered into one write per destination (targeted relay); others are dropped
    };

    /// Listens on 127.0.0.1:0 and starts forwarding in `pattern` on a thread of its own.
    explicit BaselineForwarder(Pattern pattern = Pattern::ToEveryOther);

    /// Stops the thread and closes every socket.
    ~BaselineForwarder();

    BaselineForwarder(const BaselineForwarder&) = delete;
    BaselineForwarder& operator=(const BaselineForwarder&) = delete;

    /// Where it listens.
    Poco::Net::SocketAddress address() const;

    /// Connections accepted so far.
    int connections() const { return connections_.load(); }

    /// Users listed in ONLINE_USER_INFO so far (Pattern::ToAddressee).
    int hostedUsers() const { return hostedUsers_.load(); }

    /// Writes (send or sendmsg calls, one per destination of a read) so far.
    std::uint64_t writes() const { return writes_.load(std::memory_order_relaxed); }

    /// CPU seconds its thread used so far.
    double cpuSeconds() const;

private:
    void run();

    const Pattern pattern_;

    int listenFd_ = -1;
    int epollFd_ = -1;
    int stopFd_ = -1;
    std::uint16_t port_ = 0;
    std::atomic<int> connections_{0};
    std::atomic<int> hostedUsers_{0};
    std::atomic<std::uint64_t> writes_{0};
    std::atomic<pid_t> tid_{0};
    std::thread thread_;
};

} // namespace ttbench
