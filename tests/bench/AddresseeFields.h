#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace ttbench
{

/// The few protobuf fields the baseline forwarder reads to forward a message to its
/// addressee only, read in place from a frame's body without the generated parser (as the
/// route server's RelayTargets does): the cheapest way to learn where a message goes.
class AddresseeFields
{
public:
    /// to_session_id (field 2) of an IMMsgData body; nullopt when the body lacks it or is damaged.
    static std::optional<std::uint32_t> msgDataAddressee(const char* body, std::size_t size);

    /// Appends the user_id of every entry of an IMOnlineUserInfo body to `users`; stops at
    /// the first damaged field.
    static void listedUsers(const char* body, std::size_t size, std::vector<std::uint32_t>& users);
};

} // namespace ttbench
