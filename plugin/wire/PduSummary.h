#pragma once

#include "wire/Frame.h"

#include <algorithm>
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
/// A body that does not parse gives what was read before the fault. Finding the followed
/// users makes no text: a trace must not slow the PDUs of users it does not follow.
class PduSummary
{
public:
    /// Reads `frame` for the users in `followed` (sorted); the frame's bytes must outlive the
    /// summary.
    PduSummary(const FrameView& frame, const std::vector<std::uint32_t>& followed);

    /// False when `frame` surely concerns none of `followed` (sorted), read cheaply: for the
    /// one-to-one PDUs that are most of the traffic, by their first sender and addressee fields
    /// (fields 1 and 2, written first), so that a trace costs everyone else's PDUs two varints
    /// each. True otherwise, and for every other command: the summary then tells.
    static bool mayConcern(const FrameView& frame, const std::vector<std::uint32_t>& followed);

    /// True when sorted `followed` holds `user`; most users are outside the range of the few
    /// followed ones, and two comparisons tell.
    static bool isFollowed(const std::vector<std::uint32_t>& followed, std::uint64_t user)
    {
        return !followed.empty() && user >= followed.front() && user <= followed.back() &&
               std::binary_search(followed.begin(), followed.end(), static_cast<std::uint32_t>(user));
    }

    /// The followed users the PDU concerns, sorted, without duplicates.
    const std::vector<std::uint32_t>& followedUsers() const { return followedUsers_; }

    /// Its ids as a trace line shows them, read again from the body; empty for a PDU that
    /// names no user.
    std::string ids() const;

private:
    /// Reads `frame` for the users in `followed`, and its ids' text too when `describe`.
    PduSummary(const FrameView& frame, const std::vector<std::uint32_t>& followed, bool describe);

    /// Notes `user` as concerned when `followed` holds it.
    void noteIfFollowed(const std::vector<std::uint32_t>& followed, std::uint32_t user);

    FrameView frame_;
    std::vector<std::uint32_t> followedUsers_;
    std::string ids_;
};

} // namespace ttroute
