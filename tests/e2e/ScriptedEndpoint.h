#pragma once

// A stand-in for tthost's admin endpoint that fails on cue (e2e_status_page): it serves the
// real status page and answers recorded from the real tthost, and drops the connections of
// the refreshes it is told to, as an endpoint that went away does.

#include "AdminHttp.h"

#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/ServerSocket.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

/// An HTTP endpoint on 127.0.0.1 that serves the answers it was given by path and, during the
/// n-th refresh of the page (from 1) when `fails(n)` holds, closes each connection without
/// answering, as a server that went away does. Refreshes are counted by GET /host, which the
/// page asks first in each.
class ScriptedEndpoint
{
public:
    /// The answers to serve, by path.
    using Answers = std::map<std::string, tttest::HttpReply>;

    /// Serves `answers` on an ephemeral port, failing the refreshes `fails` picks.
    ScriptedEndpoint(Answers answers, std::function<bool(int)> fails);

    /// Stops serving, waiting for the requests in progress.
    ~ScriptedEndpoint();

    /// Not copied: its server's handlers refer to it.
    ScriptedEndpoint(const ScriptedEndpoint&) = delete;
    /// Not assigned: its server's handlers refer to it.
    ScriptedEndpoint& operator=(const ScriptedEndpoint&) = delete;

    /// The port it listens on.
    std::uint16_t port() const { return socket_.address().port(); }

    /// Requests that were failed on cue.
    int failed() const;

private:
    /// Answers one request, or drops it on cue.
    class Handler;
    /// Makes a Handler for each request.
    class Factory;

    /// Whether a request for `path` is to fail now; counts refreshes and failures.
    bool failsNow(const std::string& path);

    const Answers answers_;                ///< what to serve, by path
    const std::function<bool(int)> fails_; ///< which refreshes fail
    mutable std::mutex mutex_;             ///< guards the counts: requests come on several threads
    int refresh_ = 0;                      ///< refreshes begun (GET /host seen)
    int failed_ = 0;                       ///< requests failed on cue
    Poco::Net::ServerSocket socket_;       ///< the listening socket
    std::unique_ptr<Poco::Net::HTTPServer> server_; ///< serving on socket_
};
