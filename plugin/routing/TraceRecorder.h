#pragma once

#include "routing/PduFate.h"
#include "routing/PeerDirectory.h"
#include "routing/RouteScratch.h"
#include "routing/Tracer.h"
#include "wire/Frame.h"
#include "wire/StatusQuery.h"

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace ttroute
{

/// The trace lines of one read's PDUs while a trace runs: Router::route() notes each PDU with
/// its fate, and publishes the lines once the read's batches are handed over, so nothing is
/// written to a trace or the log under the presence lock. A line reads
///   2026-11-29T10:15:02.123Z MSG_DATA from 1001 to 1002 msg_id 7, 96 bytes, from msg server
///   10.0.0.5:41234 #3: relayed to 1 msg server: #4 10.0.0.6:40012
class TraceRecorder
{
public:
    /// Lines for `tracer`'s followed users about what `from` sent; `directory` names
    /// destinations (looked at only for a PDU that concerns a followed user).
    TraceRecorder(Tracer& tracer, const PeerLink& from, const PeerDirectory& directory);

    /// Makes the line of `frame` if it concerns a followed user; `scratch` holds what the
    /// router used for it (a targeted relay's destinations, a query's answers).
    void note(const FrameView& frame, const PduFate& fate, const RouteScratch& scratch);

    /// Hands the lines made to the tracer.
    void publish();

private:
    /// True when `query`, as the router read it, names a followed user.
    bool followsAnyOf(const StatusQuery& query) const;
    std::string fateText(const PduFate& fate, const RouteScratch& scratch, const std::vector<std::uint32_t>& users) const;
    std::string destinations(const std::vector<ConnectionId>& ids) const;
    /// The connected msg servers, from the first line on: a read that concerns no followed
    /// user does not touch the directory's lock.
    const PeerDirectory::PeerList& peers() const;

    Tracer& tracer_;
    const PeerLink& from_;
    std::shared_ptr<const std::vector<std::uint32_t>> followed_;
    const PeerDirectory& directory_;
    mutable std::shared_ptr<const PeerDirectory::PeerList> peers_;
    std::vector<std::pair<std::string, std::vector<std::uint32_t>>> lines_; ///< each with the followed users it concerns
};

} // namespace ttroute
