#include "DescriptorLimit.h"

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <sys/resource.h>

namespace ttbench
{

void ensureDescriptors(std::uint64_t needed, const std::string& what)
{
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0)
        throw std::runtime_error(std::string("cannot read the descriptor limit: ") + std::strerror(errno));
    if (limit.rlim_cur < limit.rlim_max)
    {
        limit.rlim_cur = limit.rlim_max;
        if (::setrlimit(RLIMIT_NOFILE, &limit) != 0)
            throw std::runtime_error(std::string("cannot raise the descriptor limit to its hard limit: ") + std::strerror(errno));
    }
    if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < needed)
        throw std::runtime_error(what + " needs about " + std::to_string(needed) + " descriptors, but this process may open only " +
                                 std::to_string(limit.rlim_cur) + " (hard limit; raise it, e.g. ulimit -Hn, or ask for fewer)");
}

} // namespace ttbench
