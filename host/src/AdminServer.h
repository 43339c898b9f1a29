#pragma once

#include "tthost/AdminRequest.h"

#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/ThreadPool.h>

#include <functional>
#include <memory>

namespace tthost
{

/// The admin HTTP endpoint: a Poco::Net::HTTPServer with a few threads of its own, so no
/// request ever waits on a connection thread, and none holds one up. Answers GET only (405
/// otherwise, with Allow: GET); what a GET returns is `answer`'s business.
class AdminServer
{
public:
    /// Fills the response for a GET.
    using Answer = std::function<void(const AdminRequest& request, AdminResponse& response)>;

    /// Will serve `socket` (bound already) with `answer`: connections wait in the socket's
    /// backlog until start().
    AdminServer(const Poco::Net::ServerSocket& socket, Answer answer);

    /// Stops accepting, lets requests in progress finish, and joins the threads.
    ~AdminServer();

    AdminServer(const AdminServer&) = delete;
    AdminServer& operator=(const AdminServer&) = delete;

    /// Starts answering.
    void start();

    /// The address bound (with the real port when 0 was asked for).
    const Poco::Net::SocketAddress& address() const { return address_; }

private:
    Poco::Net::SocketAddress address_;
    Poco::ThreadPool threads_;
    std::unique_ptr<Poco::Net::HTTPServer> server_;
};

} // namespace tthost
