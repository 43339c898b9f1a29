#include "Wakeup.h"

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <sys/eventfd.h>
#include <unistd.h>

namespace ttbench
{

Wakeup::Wakeup()
    : fd_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC))
{
    if (fd_ < 0)
        throw std::runtime_error(std::string("eventfd failed: ") + std::strerror(errno));
}

Wakeup::~Wakeup()
{
    ::close(fd_);
}

void Wakeup::nudge()
{
    if (waiting_.exchange(false, std::memory_order_acq_rel))
        ring();
}

void Wakeup::ring()
{
    const std::uint64_t one = 1;
    [[maybe_unused]] const ssize_t written = ::write(fd_, &one, sizeof one);
}

void Wakeup::clear()
{
    std::uint64_t count = 0;
    [[maybe_unused]] const ssize_t got = ::read(fd_, &count, sizeof count);
}

} // namespace ttbench
