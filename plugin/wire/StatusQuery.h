#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ttroute
{

/// A USERS_STATUS_REQUEST and its USERS_STATUS_RESPONSE (protocol.md §3, §5), read and
/// written by hand: the generated classes would allocate a message per queried id, which
/// costs more than looking the ids up. Reads what the generated parser reads (unpacked or
/// packed ids, unknown fields skipped, user_id required) and writes the same bytes the
/// generated serialiser would.
class StatusQuery
{
public:
    /// Reads a request body; false when it is not a valid IMUsersStatReq. The body must
    /// outlive the use of attach data by appendAnswer().
    bool parse(const char* body, std::size_t size);

    /// The user who asks (user_id).
    std::uint32_t requester() const { return requester_; }

    /// The queried ids, in request order, duplicates kept.
    const std::vector<std::uint32_t>& ids() const { return ids_; }

    /// Bytes its buffer holds: as much as the largest request read so far needed.
    std::size_t bufferBytes() const { return ids_.capacity() * sizeof(std::uint32_t); }

    /// Appends the whole answer frame (service 2, command 0x020b, `seqNum`) for the first
    /// `count` ids, with `online[i]` for ids()[i]; requester and attach data copied unchanged.
    void appendAnswer(std::string& out, std::uint16_t seqNum, std::size_t count, const std::vector<std::uint8_t>& online) const;

private:
    std::uint32_t requester_ = 0;
    std::vector<std::uint32_t> ids_;
    const char* attachData_ = nullptr; ///< null when absent
    std::size_t attachSize_ = 0;
};

} // namespace ttroute
