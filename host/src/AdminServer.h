#pragma once

#include "tthost/AdminRequest.h"

#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/ThreadPool.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>

namespace tthost
{

/// The admin HTTP endpoint: a Poco::Net::HTTPServer with threads of its own, so no request
/// ever waits on a connection thread, and none holds one up. What requests get is
/// `answer`'s business; a streamed answer is sent with chunked transfer encoding, flushed at
/// every write.
class AdminServer
{
public:
    /// Fills the response for a request; `bearerToken` is the token of its Authorization
    /// header ("Bearer TOKEN"), empty without one.
    using Answer = std::function<void(const AdminRequest& request, const std::string& bearerToken, AdminResponse& response)>;

    /// Requests answered at once: streams (traces) hold one each.
    static constexpr int kMaxThreads = 16;

    /// Will serve `socket` (bound already) with `answer`: connections wait in the socket's
    /// backlog until start().
    AdminServer(const Poco::Net::ServerSocket& socket, Answer answer);

    /// Stops accepting, lets requests in progress finish, and joins the threads.
    ~AdminServer();

    AdminServer(const AdminServer&) = delete;
    AdminServer& operator=(const AdminServer&) = delete;

    /// Starts answering.
    void start();

    /// Stops accepting and ends streams at their next look; requests in progress (and
    /// keep-alive connections) finish. Unlike the destructor, safe on one of its own threads.
    void stop();

    /// The address bound (with the real port when 0 was asked for).
    const Poco::Net::SocketAddress& address() const { return address_; }

private:
    Poco::Net::SocketAddress address_;
    Poco::Net::ServerSocket socket_; ///< the server's, shared: stop() closes it
    std::atomic<bool> stopping_{false}; ///< streams end when it is set
    Poco::ThreadPool threads_;
    std::unique_ptr<Poco::Net::HTTPServer> server_;
};

} // namespace tthost
