#include "BenchSocket.h"

#include <cerrno>
#include <cstring>
#include <poll.h>
#include <stdexcept>
#include <sys/socket.h>

namespace ttbench
{

void requireLoopback(const Poco::Net::SocketAddress& address)
{
    if (!address.host().isLoopback())
        throw std::invalid_argument(address.toString() + " is not a loopback address: ttbench only loads servers on this machine");
}

BenchSocket::BenchSocket(const Poco::Net::SocketAddress& server)
{
    requireLoopback(server);
    socket_.connect(server);
    socket_.setNoDelay(true);
    fd_ = socket_.impl()->sockfd();
}

void BenchSocket::sendAll(const std::string& bytes)
{
    std::size_t done = 0;
    while (done < bytes.size())
    {
        done += sendSome(bytes.data() + done, bytes.size() - done);
        if (done < bytes.size())
        {
            pollfd out{fd_, POLLOUT, 0};
            ::poll(&out, 1, 1000);
        }
    }
}

std::size_t BenchSocket::sendSome(const char* data, std::size_t size)
{
    for (;;)
    {
        const ssize_t sent = ::send(fd_, data, size, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (sent > 0)
            lastSend_ = std::chrono::steady_clock::now();
        if (sent >= 0)
            return static_cast<std::size_t>(sent);
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            return 0;
        throw std::runtime_error(std::string("send to the route server failed: ") + std::strerror(errno));
    }
}

std::size_t BenchSocket::receiveSome(char* buffer, std::size_t size, int timeoutMs)
{
    if (size == 0) // recv() would return 0, which reads as the server closing the connection
        throw std::logic_error("no room to read into");
    for (;;)
    {
        const ssize_t got = ::recv(fd_, buffer, size, MSG_DONTWAIT);
        if (got > 0)
            return static_cast<std::size_t>(got);
        if (got == 0)
            throw std::runtime_error("the route server closed the connection");
        if (errno == EINTR)
            continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK)
            throw std::runtime_error(std::string("receive from the route server failed: ") + std::strerror(errno));
        pollfd in{fd_, POLLIN, 0};
        if (::poll(&in, 1, timeoutMs) == 0)
            return 0;
    }
}

void BenchSocket::shutdown()
{
    ::shutdown(fd_, SHUT_RDWR);
}

void BenchSocket::keepAlive()
{
    // A stock msg server heartbeats every 5 s; the route server's default idle timeout is 30 s.
    constexpr auto kInterval = std::chrono::seconds(5);
    // HEARTBEAT (protocol.md §2): a 16-byte header, version 1, service 7, command 0x0701, no body.
    static const std::string kHeartbeat("\0\0\0\x10\0\x01\0\0\0\x07\x07\x01\0\0\0\0", 16);
    if (std::chrono::steady_clock::now() - lastSend_ >= kInterval)
        sendAll(kHeartbeat);
}

void FrameStream::compact()
{
    std::memmove(&buffer_[0], &buffer_[begin_], end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
}

void FrameStream::grow(std::size_t size)
{
    compact();
    buffer_.resize(std::max(size, buffer_.size() * 2));
}

} // namespace ttbench
