#pragma once

#include "wire/Frame.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ttroute
{

/// What a trace line says of one PDU: its ids ("from 1001 to 1002 msg_id 7") and which of the
/// followed users it concerns — the sender and addressee of a one-to-one PDU, the subject of
/// a status update, kick or sign-info change, the asker and the ids of a status query, the
/// entries of an ONLINE_USER_INFO, the members a group change names. Read from the body in
/// place, only while a trace runs; never the content (message text, file names, commands).
/// A body that does not parse gives what was read before the fault.
class PduSummary
{
public:
    /// Reads `frame` for the users in `followed` (sorted).
    PduSummary(const FrameView& frame, const std::vector<std::uint32_t>& followed);

    /// The followed users the PDU concerns, sorted, without duplicates.
    const std::vector<std::uint32_t>& followedUsers() const { return followedUsers_; }

    /// Its ids as a trace line shows them; empty for a PDU that names no user.
    const std::string& ids() const { return ids_; }

private:
    /// Notes `user` as concerned when it is followed.
    void concerns(std::uint32_t user);

    const std::vector<std::uint32_t>& followed_;
    std::vector<std::uint32_t> followedUsers_;
    std::string ids_;
};

} // namespace ttroute
