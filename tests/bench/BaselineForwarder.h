#pragma once

#include <Poco/Net/SocketAddress.h>

#include <atomic>
#include <cstdint>
#include <sys/types.h>
#include <thread>

namespace ttbench
{

/// The yardstick: a minimal single-threaded epoll program on an ephemeral loopback port that
/// forwards the complete frames of each read to every other connection, and does nothing
/// else. What it delivers is what this machine can move; the route server is quoted as a
/// fraction of it, measured in the same run.
class BaselineForwarder
{
public:
    /// Listens on 127.0.0.1:0 and starts forwarding on a thread of its own.
    BaselineForwarder();

    /// Stops the thread and closes every socket.
    ~BaselineForwarder();

    BaselineForwarder(const BaselineForwarder&) = delete;
    BaselineForwarder& operator=(const BaselineForwarder&) = delete;

    /// Where it listens.
    Poco::Net::SocketAddress address() const;

    /// Connections accepted so far.
    int connections() const { return connections_.load(); }

    /// CPU seconds its thread used so far.
    double cpuSeconds() const;

private:
    void run();

    int listenFd_ = -1;
    int epollFd_ = -1;
    int stopFd_ = -1;
    std::uint16_t port_ = 0;
    std::atomic<int> connections_{0};
    std::atomic<pid_t> tid_{0};
    std::thread thread_;
};

} // namespace ttbench
