#pragma once

#include <cstdint>

namespace ttroute
{

/// Identifies one msg-server connection for the lifetime of the process (never reused).
using ConnectionId = std::uint32_t;

} // namespace ttroute
