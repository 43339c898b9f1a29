#include "RouteScratch.h"

namespace ttroute
{
namespace
{

/// Buffer bytes a connection keeps between reads: far more than a usual read needs (a
/// 100-id query takes under 1 KB), far less than the largest one can take.
constexpr std::size_t kKeptBytes = 256 * 1024;

} // namespace

void RouteScratch::trim()
{
    if (query.bufferBytes() + online.capacity() > kKeptBytes)
    {
        query = StatusQuery();
        online = std::vector<std::uint8_t>();
    }
    if (connections.capacity() * sizeof(ConnectionId) > kKeptBytes)
        connections = std::vector<ConnectionId>();
    gathers.trim(kKeptBytes);
}

} // namespace ttroute
