#pragma once

#include <cstdint>
#include <string>

namespace ttbench
{

/// Raises this process's soft RLIMIT_NOFILE to its hard limit and makes sure `needed`
/// descriptors fit: a fleet of a thousand connections (and the baseline forwarder's side of
/// them) or a storm of thousands would otherwise stop at the usual soft limit of 1024.
/// Throws a line that names `what` needs them and the limit when they do not fit.
void ensureDescriptors(std::uint64_t needed, const std::string& what);

} // namespace ttbench
