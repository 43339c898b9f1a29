#include "WakeupEvent.h"

#include <Poco/Exception.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <sys/eventfd.h>
#include <unistd.h>

namespace ttroute
{

WakeupEvent::WakeupEvent()
    : fd_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC))
{
    if (fd_ < 0)
        throw Poco::SystemException("eventfd failed", std::strerror(errno));
}

WakeupEvent::~WakeupEvent()
{
    ::close(fd_);
}

void WakeupEvent::signal()
{
    const std::uint64_t one = 1;
    // Cannot fail short of a counter overflow, which a non-blocking eventfd reports as EAGAIN
    // while it is still readable, so the wake-up is not lost either way.
    [[maybe_unused]] const ssize_t written = ::write(fd_, &one, sizeof one);
}

void WakeupEvent::clear()
{
    std::uint64_t count = 0;
    [[maybe_unused]] const ssize_t got = ::read(fd_, &count, sizeof count);
}

} // namespace ttroute
