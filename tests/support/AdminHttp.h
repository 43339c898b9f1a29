#pragma once

// Talking to tthost's admin endpoint from tests: one request at a time, a JSON body read, and
// a streamed answer (GET /trace) followed as it comes.

#include <Poco/JSON/Object.h>
#include <Poco/Net/StreamSocket.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <string>

namespace tttest
{

/// An admin endpoint's answer.
struct HttpReply
{
    int status = 0;
    std::string contentType;
    std::string allow; ///< the Allow header
    std::string body;
};

/// One request to 127.0.0.1:`port` on a connection of its own, with `headers` added; throws
/// when it cannot connect.
HttpReply http(std::uint16_t port, const std::string& path, const std::string& method = "GET",
               const std::map<std::string, std::string>& headers = {});

/// "PATH -> STATUS [TYPE] BODY", for assertion messages.
std::string describe(const std::string& path, const HttpReply& reply);

/// The body as a JSON object; fails the test when it is not one.
Poco::JSON::Object::Ptr jsonObject(const std::string& body);

/// GET /peers of the admin endpoint at 127.0.0.1:`port`: the entries, by remote_address
/// (which must be unique); fails the test when the answer is not that.
std::map<std::string, Poco::JSON::Object::Ptr> peersByAddress(std::uint16_t port);

/// A GET whose answer streams (chunked transfer encoding), read as it comes.
class HttpStream
{
public:
    /// Sends GET `path` to 127.0.0.1:`port`, with an Accept header when `accept` is not empty.
    HttpStream(std::uint16_t port, const std::string& path, const std::string& accept = "");

    /// Reads until the body holds `text` (after byte `from`); false when it does not within
    /// `timeout`, or the answer ended first.
    bool waitFor(const std::string& text, std::size_t from = 0, std::chrono::milliseconds timeout = std::chrono::seconds(30));

    /// Reads until the answer ends (its last chunk); false when it does not within `timeout`.
    bool waitForEnd(std::chrono::milliseconds timeout = std::chrono::seconds(30));

    /// The status line's code (0 before the headers came).
    int status() const { return status_; }

    /// The headers' Content-Type.
    const std::string& contentType() const { return contentType_; }

    /// The body so far, chunks joined.
    const std::string& body() const { return body_; }

    /// True once the last chunk came.
    bool ended() const { return ended_; }

    /// Closes the connection (the client goes away).
    void close() { socket_.close(); }

private:
    /// Reads once, waiting until `deadline`; false when nothing more can come by then.
    bool readSome(std::chrono::steady_clock::time_point deadline);
    void parse();

    Poco::Net::StreamSocket socket_;
    std::string raw_;  ///< received and not parsed yet
    bool headersDone_ = false;
    int status_ = 0;
    std::string contentType_;
    std::string body_;
    bool ended_ = false;
};

} // namespace tttest
