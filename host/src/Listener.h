#pragma once

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/TCPServer.h>
#include <Poco/Net/TCPServerConnectionFactory.h>
#include <Poco/ThreadPool.h>

#include <memory>
#include <string>

namespace tthost
{

/// One listen address of a plugin: a bound socket, a Poco::Net::TCPServer on it, and the
/// thread pool that serves its connections (one thread per connection). Threads, with small
/// stacks, are made as connections come and end a couple of seconds after they go.
///
/// A listener that stops accepting closes its socket at once but lives on until its
/// connections end: they belong to the plugin, not to the address they came in on.
class Listener
{
public:
    /// Serves `socket` (see bindListenSocket), bound for the configured address `configured`,
    /// with connections from `factory` that pass `filter` (may be null), on up to `maxThreads` threads.
    Listener(const Poco::Net::SocketAddress& configured, const Poco::Net::ServerSocket& socket,
             Poco::Net::TCPServerConnectionFactory::Ptr factory, Poco::Net::TCPServerConnectionFilter::Ptr filter, int maxThreads,
             int maxQueued);

    /// Stops accepting and waits for every connection thread.
    ~Listener();

    Listener(const Listener&) = delete;
    Listener& operator=(const Listener&) = delete;

    /// Starts accepting connections.
    void start();

    /// Stops accepting and closes the listen socket; connections already served go on.
    void stopAccepting();

    /// Connections being served now.
    int activeConnections() const;

    /// Waits until every connection thread has finished.
    void join();

    /// Ends the threads that have been idle for a while (Poco's pool does so only when it
    /// starts another): called periodically, so that threads come and go with connections.
    /// True when it ended some.
    bool releaseIdleThreads();

    /// Connection threads in existence now, busy or idle.
    int threads() const;

    /// The address as configured (its port may be 0).
    const Poco::Net::SocketAddress& configured() const { return configured_; }

    /// The address actually bound (its port is the real one when 0 was asked for).
    const Poco::Net::SocketAddress& bound() const { return bound_; }

private:
    Poco::Net::SocketAddress configured_;
    Poco::Net::SocketAddress bound_;
    Poco::Net::ServerSocket socket_;
    Poco::ThreadPool threads_;
    std::unique_ptr<Poco::Net::TCPServer> server_;
};

/// A socket bound to `address` and listening (IPv6 addresses only for IPv6); throws
/// Poco::Net::NetException when the address cannot be bound, e.g. because it is in use.
Poco::Net::ServerSocket bindListenSocket(const Poco::Net::SocketAddress& address, int backlog);

} // namespace tthost
