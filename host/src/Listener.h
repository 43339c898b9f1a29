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
/// thread pool that serves its connections (one thread per connection).
class Listener
{
public:
    /// Serves `socket` (see bindListenSocket) with connections from `factory`, on up to
    /// `maxThreads` threads; serving starts with start().
    Listener(Poco::Net::TCPServerConnectionFactory::Ptr factory, const Poco::Net::ServerSocket& socket, int maxThreads,
             int maxQueued);
    ~Listener();

    Listener(const Listener&) = delete;
    Listener& operator=(const Listener&) = delete;

    /// Starts accepting connections.
    void start();

    /// Stops accepting; connections already served go on until the plugin ends them.
    void stopAccepting();

    /// Waits until every connection thread has finished.
    void join();

    /// The address actually bound (its port is the real one when 0 was asked for).
    Poco::Net::SocketAddress address() const;

private:
    Poco::ThreadPool threads_;
    std::unique_ptr<Poco::Net::TCPServer> server_;
};

/// A socket bound to `address` and listening (IPv6 addresses only for IPv6); throws
/// Poco::Net::NetException when the address cannot be bound, e.g. because it is in use.
Poco::Net::ServerSocket bindListenSocket(const Poco::Net::SocketAddress& address, int backlog);

} // namespace tthost
