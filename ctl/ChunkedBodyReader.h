#pragma once

#include <functional>
#include <istream>
#include <string>

namespace ttctl
{

/// Reads an HTTP/1.1 body sent with chunked transfer encoding (RFC 9112 §7.1) from a stream,
/// handing its bytes on chunk by chunk as they arrive. Unlike Poco's own chunked stream, it
/// tells a body that ended with its last (zero-length) chunk from a connection that ended
/// without one, which is how a trace that is over differs from one that broke off.
class ChunkedBodyReader
{
public:
    /// Reads from `in`, positioned after the response's headers.
    explicit ChunkedBodyReader(std::istream& in);

    /// Reads to the end, calling `sink` with each piece of the body; true when the body ended
    /// with its last chunk or `sink` returned false to stop reading, false when the stream
    /// ended first. Throws Poco::DataFormatException when a chunk's size line is not one.
    bool read(const std::function<bool(const std::string& piece)>& sink);

private:
    std::istream& in_;
};

} // namespace ttctl
