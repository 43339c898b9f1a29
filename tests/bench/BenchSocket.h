#pragma once

#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>

namespace ttbench
{

/// Throws unless `address` is a loopback address: the load generator never goes further.
void requireLoopback(const Poco::Net::SocketAddress& address);

/// One fake msg server's TCP connection to the route server under test.
class BenchSocket
{
public:
    /// Connects to `server` (loopback only), with TCP_NODELAY.
    explicit BenchSocket(const Poco::Net::SocketAddress& server);

    /// The descriptor, for poll() and non-blocking I/O.
    int fd() const { return fd_; }

    /// Writes all of `bytes`, waiting for room as needed.
    void sendAll(const std::string& bytes);

    /// Writes what the socket takes now; returns the count (0 when full).
    std::size_t sendSome(const char* data, std::size_t size);

    /// Reads what is there, waiting up to `timeoutMs` (-1: forever) for something; returns 0
    /// on timeout and throws at EOF or on error.
    std::size_t receiveSome(char* buffer, std::size_t size, int timeoutMs);

    /// Ends the connection's reads, so a thread blocked reading it wakes up.
    void shutdown();

    /// Sends a HEARTBEAT when nothing was sent for a few seconds, as a msg server does, so
    /// that the route server's idle timeout never closes a connection that only reads. Call
    /// it between whole frames, from the thread that sends on the socket.
    void keepAlive();

private:
    Poco::Net::StreamSocket socket_;
    int fd_;
    std::chrono::steady_clock::time_point lastSend_ = std::chrono::steady_clock::now();
};

/// Big-endian 16-bit field at `p`.
inline std::uint16_t readU16(const char* p)
{
    const auto* u = reinterpret_cast<const unsigned char*>(p);
    return static_cast<std::uint16_t>((u[0] << 8) | u[1]);
}

/// Big-endian 32-bit field at `p` (a frame's length).
inline std::uint32_t readU32(const char* p)
{
    const auto* u = reinterpret_cast<const unsigned char*>(p);
    return (std::uint32_t{u[0]} << 24) | (std::uint32_t{u[1]} << 16) | (std::uint32_t{u[2]} << 8) | u[3];
}

/// Cuts received bytes into frames without copying them.
class FrameStream
{
public:
    /// A stream whose buffer starts at `initialBytes` (it grows for a larger frame): the
    /// default suits a few busy connections, a fleet of a thousand wants less each.
    explicit FrameStream(std::size_t initialBytes = std::size_t{1} << 20)
        : buffer_(std::max<std::size_t>(initialBytes, 64), '\0')
    {
    }

    /// Reads once from `socket` (waiting up to `timeoutMs`) and calls onFrame(data, length)
    /// for every frame now complete. Returns false on timeout.
    template <typename OnFrame>
    bool readFrom(BenchSocket& socket, int timeoutMs, OnFrame&& onFrame)
    {
        if (end_ == buffer_.size())
            compact();
        const std::size_t got = socket.receiveSome(&buffer_[end_], buffer_.size() - end_, timeoutMs);
        if (got == 0)
            return false;
        end_ += got;
        while (end_ - begin_ >= 16)
        {
            const std::uint32_t length = readU32(&buffer_[begin_]);
            // Nothing ttbench reads comes near kMaxFrame: a larger length means a damaged
            // stream, which must fail here rather than wait for gigabytes that never come.
            if (length < 16 || length > kMaxFrame)
                throw std::runtime_error("the route server sent a frame of length " + std::to_string(length));
            if (end_ - begin_ < length)
            {
                if (length > buffer_.size())
                    grow(length);
                break;
            }
            onFrame(&buffer_[begin_], length);
            begin_ += length;
        }
        if (begin_ == end_)
            begin_ = end_ = 0;
        return true;
    }

private:
    static constexpr std::uint32_t kMaxFrame = 64u << 20;

    void compact();
    void grow(std::size_t size);

    std::string buffer_;
    std::size_t begin_ = 0;
    std::size_t end_ = 0;
};

} // namespace ttbench
