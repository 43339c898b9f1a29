#include "ConnectionStorm.h"

#include "BenchProtocol.h"
#include "BenchSocket.h"
#include "FailureLatch.h"
#include "StatusAnswer.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdexcept>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace ttbench
{
namespace
{

constexpr std::uint16_t kStormSeq = 0x5757;
constexpr std::uint32_t kStormRequester = 1; ///< the user_id statusRequest() asks as
constexpr std::uint32_t kMaxFrame = 64u << 20;
constexpr auto kHeartbeatAfter = std::chrono::seconds(5); ///< as a msg server does
// HEARTBEAT (protocol.md §2): a 16-byte header, version 1, service 7, command 0x0701, no body.
const std::string kHeartbeat("\0\0\0\x10\0\x01\0\0\0\x07\x07\x01\0\0\0\0", 16);

std::string nameOf(std::size_t index)
{
    return "storm connection " + std::to_string(index + 1);
}

} // namespace

ConnectionStorm::ConnectionStorm(const Poco::Net::SocketAddress& server, int count, std::vector<std::pair<std::uint32_t, std::uint32_t>> expected)
    : server_(server)
    , expected_(std::move(expected))
    , epoll_(::epoll_create1(EPOLL_CLOEXEC))
    , links_(static_cast<std::size_t>(std::max(0, count)))
{
    requireLoopback(server);
    if (epoll_ < 0)
        throw std::runtime_error(std::string("epoll_create1 failed: ") + std::strerror(errno));
    std::vector<std::uint32_t> ids;
    for (const auto& [id, status] : expected_)
        ids.push_back(id);
    query_ = statusRequest(kStormSeq, ids);
}

ConnectionStorm::~ConnectionStorm()
{
    closeAll();
    ::close(epoll_);
}

StormOutcome ConnectionStorm::run(double openSeconds, double hangSeconds, const FailureLatch& latch)
{
    const auto start = Clock::now();
    const auto hang = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(hangSeconds));
    const auto total = links_.size();
    std::size_t next = 0;
    Clock::time_point lastOpened = start;
    for (;;)
    {
        const auto now = Clock::now();
        if (next < total)
        {
            const double elapsed = std::chrono::duration<double>(now - start).count();
            const auto due = openSeconds > 0 ? std::min(total, static_cast<std::size_t>(std::ceil(static_cast<double>(total) * elapsed / openSeconds)))
                                             : total;
            for (; next < due; ++next)
                open(next);
            lastOpened = Clock::now();
            if (next == total)
                outcome_.openSeconds = std::chrono::duration<double>(lastOpened - start).count();
        }
        else if (unsettled_ == 0 || Clock::now() - lastOpened >= hang)
            break; // every connection answered or closed, or even the last opened had its time
        if (latch.failed())
            break;
        poll(next < total ? 1 : 20);
        keepAlive(Clock::now());
    }
    outcome_.hung = unsettled_;
    if (outcome_.hung > 0)
        outcome_.settledSeconds = std::chrono::duration<double>(Clock::now() - start).count();
    return outcome_;
}

void ConnectionStorm::hold(double seconds)
{
    const auto end = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
    while (Clock::now() < end)
    {
        poll(20);
        keepAlive(Clock::now());
    }
}

void ConnectionStorm::closeAll()
{
    for (Link& link : links_)
        if (link.fd >= 0)
            closeLink(link);
}

void ConnectionStorm::open(std::size_t index)
{
    Link& link = links_[index];
    const int fd = ::socket(server_.family() == Poco::Net::SocketAddress::IPv6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        throw std::runtime_error(nameOf(index) + ": socket() failed: " + std::strerror(errno));
    const int on = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    link.fd = fd;
    link.opened = Clock::now();
    link.out = query_;
    ++outcome_.opened;
    ++unsettled_;
    if (outcome_.opened == 1)
        first_ = link.opened; // settledSeconds counts from here
    if (!watch(index, EPOLL_CTL_ADD, EPOLLIN | EPOLLOUT | EPOLLRDHUP))
        throw std::runtime_error(nameOf(index) + ": epoll_ctl failed: " + std::strerror(errno));
    if (::connect(fd, server_.addr(), server_.length()) == 0)
    {
        connected(index);
        return;
    }
    if (errno == EINPROGRESS)
    {
        link.state = State::Connecting;
        return;
    }
    if (errno == ECONNREFUSED || errno == ECONNRESET || errno == ETIMEDOUT)
    {
        ++outcome_.refusedAtConnect;
        settle(index, State::Closed);
        return;
    }
    throw std::runtime_error(nameOf(index) + ": connect() failed: " + std::strerror(errno));
}

void ConnectionStorm::connected(std::size_t index)
{
    links_[index].state = State::Querying;
    flush(index);
}

void ConnectionStorm::onEvent(std::size_t index, std::uint32_t events)
{
    Link& link = links_[index];
    if (link.fd < 0)
        return;
    if (link.state == State::Connecting)
    {
        int error = 0;
        socklen_t length = sizeof error;
        ::getsockopt(link.fd, SOL_SOCKET, SO_ERROR, &error, &length);
        if (error != 0)
        {
            ++outcome_.refusedAtConnect;
            settle(index, State::Closed);
            return;
        }
        if (!(events & (EPOLLOUT | EPOLLIN | EPOLLHUP | EPOLLERR | EPOLLRDHUP)))
            return;
        connected(index);
        if (link.fd < 0)
            return;
    }
    else if (events & EPOLLOUT)
        flush(index);
    if (link.fd >= 0 && (events & (EPOLLIN | EPOLLHUP | EPOLLERR | EPOLLRDHUP)))
        readFrom(index);
}

void ConnectionStorm::flush(std::size_t index)
{
    Link& link = links_[index];
    while (!link.out.empty())
    {
        const ssize_t sent = ::send(link.fd, link.out.data(), link.out.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
        if (sent > 0)
        {
            link.out.erase(0, static_cast<std::size_t>(sent));
            link.lastSend = Clock::now();
            continue;
        }
        if (sent < 0 && errno == EINTR)
            continue;
        if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return; // EPOLLOUT says when there is room
        closedByServer(index);
        return;
    }
    watch(index, EPOLL_CTL_MOD, EPOLLIN | EPOLLRDHUP); // nothing left to write
}

void ConnectionStorm::readFrom(std::size_t index)
{
    Link& link = links_[index];
    char scratch[65536];
    for (int reads = 0; reads < 4 && link.fd >= 0; ++reads)
    {
        const ssize_t got = ::recv(link.fd, scratch, sizeof scratch, MSG_DONTWAIT);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        if (got <= 0)
        {
            closedByServer(index); // end of stream or a reset
            return;
        }
        if (link.state != State::Querying)
            continue; // served: what follows the answer (heartbeats, broadcast relay) is read away
        link.in.append(scratch, static_cast<std::size_t>(got));
        std::size_t begin = 0;
        while (link.in.size() - begin >= 16)
        {
            const char* frame = link.in.data() + begin;
            const std::uint32_t length = readU32(frame);
            if (length < 16 || length > kMaxFrame)
                throw std::runtime_error(nameOf(index) + ": the route server sent a frame of length " + std::to_string(length));
            if (link.in.size() - begin < length)
                break;
            if (readU16(frame + 10) == kStatusResponseCommand && readU16(frame + 12) == kStormSeq)
            {
                if (!answerIsRight(frame + 16, length - 16))
                    ++outcome_.wrongAnswers;
                settle(index, State::Answered);
                break;
            }
            begin += length;
        }
        if (link.state == State::Answered)
            std::string().swap(link.in);
        else
            link.in.erase(0, begin);
    }
}

void ConnectionStorm::settle(std::size_t index, State state)
{
    Link& link = links_[index];
    const auto now = Clock::now();
    const auto took = std::chrono::duration_cast<std::chrono::nanoseconds>(now - link.opened).count();
    outcome_.longestNs = std::max<std::int64_t>(outcome_.longestNs, took);
    outcome_.settledSeconds = std::max(outcome_.settledSeconds, std::chrono::duration<double>(now - first_).count());
    if (state == State::Answered)
    {
        ++outcome_.answered;
        outcome_.toAnswer.record(took);
    }
    else
    {
        ++outcome_.closed;
        outcome_.toClose.record(took);
        closeLink(link);
    }
    link.state = state;
    --unsettled_;
}

void ConnectionStorm::closedByServer(std::size_t index)
{
    Link& link = links_[index];
    if (link.state == State::Answered)
    {
        ++outcome_.droppedAfterAnswer;
        closeLink(link);
    }
    else
        settle(index, State::Closed);
}

void ConnectionStorm::closeLink(Link& link)
{
    ::close(link.fd);
    link.fd = -1;
    link.state = State::Closed;
}

bool ConnectionStorm::watch(std::size_t index, int operation, std::uint32_t events)
{
    epoll_event event{};
    event.events = events;
    event.data.u32 = static_cast<std::uint32_t>(index);
    return ::epoll_ctl(epoll_, operation, links_[index].fd, &event) == 0;
}

void ConnectionStorm::keepAlive(Clock::time_point now)
{
    if (now - lastKeepAlive_ < std::chrono::seconds(1))
        return;
    lastKeepAlive_ = now;
    for (std::size_t i = 0; i < links_.size(); ++i)
    {
        Link& link = links_[i];
        // A msg server heartbeats when it sent nothing for a while; only whole frames are
        // queued in `out`, so the heartbeat never lands inside one.
        if (link.fd >= 0 && (link.state == State::Answered || link.state == State::Querying) && now - link.lastSend >= kHeartbeatAfter)
        {
            const bool idle = link.out.empty();
            link.out += kHeartbeat;
            link.lastSend = now;
            if (idle)
            {
                watch(i, EPOLL_CTL_MOD, EPOLLIN | EPOLLOUT | EPOLLRDHUP);
                flush(i);
            }
        }
    }
}

bool ConnectionStorm::answerIsRight(const char* body, std::size_t size) const
{
    StatusAnswer answer;
    if (!answer.read(body, size) || answer.requester != kStormRequester || answer.stats.size() != expected_.size())
        return false;
    for (std::size_t i = 0; i < expected_.size(); ++i)
        if (answer.stats[i] != expected_[i])
            return false;
    return true;
}

void ConnectionStorm::poll(int timeoutMs)
{
    epoll_event events[256];
    const int ready = ::epoll_wait(epoll_, events, 256, timeoutMs);
    if (ready < 0 && errno != EINTR)
        throw std::runtime_error(std::string("epoll_wait failed: ") + std::strerror(errno));
    for (int i = 0; i < ready; ++i)
        onEvent(events[i].data.u32, events[i].events);
}

} // namespace ttbench
