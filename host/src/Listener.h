#pragma once

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
    /// Binds `address` at once (throws Poco::Net::NetException when it cannot);
    /// serving starts with start().
    Listener(Poco::Net::TCPServerConnectionFactory::Ptr factory, const Poco::Net::SocketAddress& address, int maxThreads,
             int maxQueued, int backlog);
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

} // namespace tthost
