#include "BaselineForwarder.h"

#include "AddresseeFields.h"
#include "BenchProtocol.h"
#include "BenchSocket.h"
#include "DestinationGathers.h"
#include "ProcessStats.h"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdexcept>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <unordered_map>
#include <vector>

namespace ttbench
{
namespace
{

/// Writes everything, blocking: the forwarder has nothing better to do meanwhile.
void writeAll(int fd, const char* data, std::size_t size)
{
    while (size > 0)
    {
        const ssize_t sent = ::send(fd, data, size, MSG_NOSIGNAL);
        if (sent < 0 && errno == EINTR)
            continue;
        if (sent <= 0)
            return;
        data += sent;
        size -= static_cast<std::size_t>(sent);
    }
}

} // namespace

BaselineForwarder::BaselineForwarder(Pattern pattern)
    : pattern_(pattern)
{
    // A long listen queue: a fleet connects a thousand times back to back, faster than this
    // thread accepts, and every connection the queue drops waits a second to try again.
    listenFd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (listenFd_ < 0 || ::bind(listenFd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || ::listen(listenFd_, 4096) != 0 ||
        ::getsockname(listenFd_, reinterpret_cast<sockaddr*>(&address), &length) != 0)
        throw std::runtime_error(std::string("baseline forwarder cannot listen: ") + std::strerror(errno));
    port_ = ntohs(address.sin_port);
    epollFd_ = ::epoll_create1(EPOLL_CLOEXEC);
    stopFd_ = ::eventfd(0, EFD_CLOEXEC);
    for (int fd : {listenFd_, stopFd_})
    {
        epoll_event event{};
        event.events = EPOLLIN;
        event.data.fd = fd;
        ::epoll_ctl(epollFd_, EPOLL_CTL_ADD, fd, &event);
    }
    thread_ = std::thread([this] { run(); });
}

BaselineForwarder::~BaselineForwarder()
{
    const std::uint64_t one = 1;
    [[maybe_unused]] const ssize_t written = ::write(stopFd_, &one, sizeof one);
    thread_.join();
    ::close(epollFd_);
    ::close(stopFd_);
    ::close(listenFd_);
}

Poco::Net::SocketAddress BaselineForwarder::address() const
{
    return Poco::Net::SocketAddress("127.0.0.1", port_);
}

double BaselineForwarder::cpuSeconds() const
{
    return ProcessStats::threadCpuSeconds(tid_.load());
}

void BaselineForwarder::run()
{
    tid_ = static_cast<pid_t>(::syscall(SYS_gettid));
    struct Buffer
    {
        std::vector<char> bytes = std::vector<char>(256 * 1024);
        std::size_t used = 0;
    };
    std::vector<int> peers;
    std::unordered_map<int, Buffer> buffers;
    std::unordered_map<std::uint32_t, int> hosts; // user -> the connection that listed it (ToAddressee)
    std::vector<std::uint32_t> listed;
    DestinationGathers gathers;
    // A MSG_DATA goes to its addressee's connection (gathered until the read's frames are
    // all seen); an ONLINE_USER_INFO says whose those are; anything else goes nowhere.
    auto toAddressee = [&](int from, const char* frame, std::size_t length) {
        const std::uint16_t command = readU16(frame + 10);
        if (command == kMsgDataCommand)
        {
            const auto addressee = AddresseeFields::msgDataAddressee(frame + 16, length - 16);
            const auto host = addressee ? hosts.find(*addressee) : hosts.end();
            if (host != hosts.end() && host->second != from)
                gathers.add(host->second, frame, length);
        }
        else if (command == kOnlineUserInfoCommand)
        {
            listed.clear();
            AddresseeFields::listedUsers(frame + 16, length - 16, listed);
            for (const std::uint32_t user : listed)
                hosts[user] = from;
            hostedUsers_ += static_cast<int>(listed.size());
        }
    };
    epoll_event events[64];
    for (;;)
    {
        const int ready = ::epoll_wait(epollFd_, events, 64, -1);
        for (int i = 0; i < ready; ++i)
        {
            const int fd = events[i].data.fd;
            if (fd == stopFd_)
            {
                for (int peer : peers)
                    ::close(peer);
                return;
            }
            if (fd == listenFd_)
            {
                const int peer = ::accept4(listenFd_, nullptr, nullptr, SOCK_CLOEXEC);
                if (peer < 0)
                    continue;
                const int on = 1;
                ::setsockopt(peer, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
                epoll_event event{};
                event.events = EPOLLIN;
                event.data.fd = peer;
                ::epoll_ctl(epollFd_, EPOLL_CTL_ADD, peer, &event);
                peers.push_back(peer);
                buffers[peer];
                ++connections_;
                continue;
            }
            Buffer& buffer = buffers[fd];
            const ssize_t got = ::recv(fd, buffer.bytes.data() + buffer.used, buffer.bytes.size() - buffer.used, 0);
            if (got <= 0)
            {
                ::epoll_ctl(epollFd_, EPOLL_CTL_DEL, fd, nullptr);
                continue;
            }
            buffer.used += static_cast<std::size_t>(got);
            // The complete frames at the front go on as they are.
            std::size_t complete = 0;
            while (buffer.used - complete >= 16)
            {
                const std::size_t length = readU32(buffer.bytes.data() + complete);
                if (length < 16 || buffer.used - complete < length)
                    break;
                if (pattern_ == Pattern::ToAddressee)
                    toAddressee(fd, buffer.bytes.data() + complete, length);
                complete += length;
            }
            if (pattern_ == Pattern::ToAddressee)
                writes_.fetch_add(gathers.writeAll(), std::memory_order_relaxed);
            else if (complete > 0)
                for (int peer : peers)
                    if (peer != fd)
                    {
                        writeAll(peer, buffer.bytes.data(), complete);
                        writes_.fetch_add(1, std::memory_order_relaxed);
                    }
            std::memmove(buffer.bytes.data(), buffer.bytes.data() + complete, buffer.used - complete);
            buffer.used -= complete;
            if (buffer.used == buffer.bytes.size())
                buffer.bytes.resize(buffer.bytes.size() * 2);
        }
    }
}

} // namespace ttbench
