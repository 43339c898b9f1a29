#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace ttbench
{

/// A USERS_STATUS_RESPONSE body (IMUsersStatRsp) read in place, by hand: the checker must
/// cost little next to the server it measures. Reused from one answer to the next.
struct StatusAnswer
{
    std::uint32_t requester = 0;         ///< user_id
    const char* attach = nullptr;        ///< attach_data, pointing into the body read; null when absent
    std::size_t attachSize = 0;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> stats; ///< (user id, status) of each entry, in order

    /// Reads `body`; false when it is not a well-formed answer.
    bool read(const char* body, std::size_t size);
};

} // namespace ttbench
