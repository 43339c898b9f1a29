#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace tthost
{

/// An admin request as a plugin sees it. Requests other than GETs reach plugins only once the
/// host allowed them (host.admin.token, or an admin endpoint on a loopback address).
struct AdminRequest
{
    std::string method = "GET";                             ///< "GET", "POST", ...
    std::string path;                                       ///< e.g. "/peers"
    std::vector<std::pair<std::string, std::string>> query; ///< e.g. {{"user", "42"}}, decoded
    std::string body;                                       ///< of a request other than a GET (at most 64 KiB)
    std::string accept;                                     ///< the Accept header, e.g. "text/event-stream"
};

/// Where a streamed answer goes (AdminResponse::stream), piece by piece.
class AdminStream
{
public:
    virtual ~AdminStream() = default;

    /// Sends `text` to the client now; false when the client has gone (the stream should end).
    virtual bool write(const std::string& text) = 0;

    /// False once the client has gone or the endpoint is stopping: a stream that waits for
    /// something to write asks this every second or so.
    virtual bool open() = 0;
};

/// A plugin's answer to an admin request.
struct AdminResponse
{
    int status = 200;                             ///< the HTTP status
    std::string contentType = "application/json"; ///< the Content-Type header
    std::string allow;                            ///< the Allow header (of a 405: the methods the path takes)
    std::string body;                             ///< the whole body (unless streamed)

    /// When set, the answer is streamed instead of `body`: after the headers, the host calls
    /// it on the request's own thread, and it writes until it returns (when the client goes,
    /// or what it follows ends). Such a request holds one of the endpoint's threads meanwhile.
    std::function<void(AdminStream& out)> stream;
};

} // namespace tthost
