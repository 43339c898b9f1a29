#include "TraceRecorder.h"

#include "wire/PduSummary.h"
#include "wire/ProtocolIds.h"

#include <Poco/DateTimeFormatter.h>
#include <Poco/Timestamp.h>

#include <algorithm>

namespace ttroute
{
namespace
{

/// Destinations a line names one by one; beyond them it counts.
constexpr std::size_t kNamedDestinations = 8;

std::string plural(std::size_t count, const char* noun)
{
    return std::to_string(count) + " " + noun + (count == 1 ? "" : "s");
}

} // namespace

TraceRecorder::TraceRecorder(Tracer& tracer, const PeerLink& from, const PeerDirectory& directory)
    : tracer_(tracer)
    , from_(from)
    , followed_(tracer.followed())
    , directory_(directory)
{
}

const PeerDirectory::PeerList& TraceRecorder::peers() const
{
    if (!peers_)
        peers_ = directory_.snapshot();
    return *peers_;
}

void TraceRecorder::note(const FrameView& frame, const PduFate& fate, const RouteScratch& scratch)
{
    // A status query the router answered has its ids in the scratch already: a comparison
    // each tells whether it concerns a followed user, without reading its body again.
    if (fate.action == PduFate::Action::Answered ? !followsAnyOf(scratch.query) : !PduSummary::mayConcern(frame, *followed_))
        return;
    const PduSummary summary(frame, *followed_);
    if (summary.followedUsers().empty())
        return;
    const std::string when = Poco::DateTimeFormatter::format(Poco::Timestamp(), "%Y-%m-%dT%H:%M:%S.%iZ");
    lines_.emplace_back(when + " " + commandName(frame.header.commandId) + " " + summary.ids() + ", " +
                            std::to_string(frame.header.length) + " bytes, from " + from_.description() + ": " +
                            fateText(fate, scratch, summary.followedUsers()),
                        summary.followedUsers());
}

bool TraceRecorder::followsAnyOf(const StatusQuery& query) const
{
    const auto follows = [this](std::uint32_t user) { return PduSummary::isFollowed(*followed_, user); };
    return follows(query.requester()) || std::any_of(query.ids().begin(), query.ids().end(), follows);
}

void TraceRecorder::publish()
{
    for (const auto& [line, users] : lines_)
        tracer_.publish(line, users);
    lines_.clear();
}

std::string TraceRecorder::fateText(const PduFate& fate, const RouteScratch& scratch, const std::vector<std::uint32_t>& users) const
{
    using Action = PduFate::Action;
    switch (fate.action)
    {
        case Action::None:
            return "not routed";
        case Action::Relayed:
        case Action::RelayedToAll:
        {
            std::vector<ConnectionId> ids;
            for (const auto& peer : peers())
                if (fate.action == Action::RelayedToAll || peer.get() != &from_)
                    ids.push_back(peer->id());
            return "relayed to " + destinations(ids);
        }
        case Action::RelayedTargeted:
        {
            std::vector<ConnectionId> ids;
            for (ConnectionId id : scratch.connections)
                if (id != from_.id() && PeerDirectory::find(peers(), id))
                    ids.push_back(id);
            return "relayed (targeted) to " + destinations(ids);
        }
        case Action::Unaddressed:
            return "dropped: no other msg server hosts its users (route.relay.mode = targeted)";
        case Action::Applied:
            return fate.notifications == 0 ? "applied; nothing to announce"
                                            : "applied; announced to every msg server (" + plural(fate.notifications, "notification") + ")";
        case Action::Unannounced:
            return "applied; not announced here: its msg server calls another route server master (route.announce_via_master)";
        case Action::Registered:
            return "registered";
        case Action::Answered:
        {
            std::string answers;
            const auto& ids = scratch.query.ids();
            for (std::size_t i = 0; i < fate.count && i < ids.size(); ++i)
                if (std::binary_search(users.begin(), users.end(), ids[i]))
                    answers += std::string(answers.empty() ? ": " : ", ") + std::to_string(ids[i]) + (scratch.online[i] ? " online" : " offline");
            return "answered " + plural(fate.count, "id") + answers;
        }
        case Action::DroppedBadBody:
            return "dropped: the body is not a valid message";
        case Action::DroppedOversized:
            return "dropped: " + std::to_string(fate.count) + " entries, more than route.max_online_user_info_entries";
    }
    return "unknown";
}

std::string TraceRecorder::destinations(const std::vector<ConnectionId>& ids) const
{
    if (ids.empty())
        return "no msg server (none other is connected)";
    std::string text = plural(ids.size(), "msg server") + ":";
    for (std::size_t i = 0; i < ids.size() && i < kNamedDestinations; ++i)
    {
        const PeerLink* peer = PeerDirectory::find(peers(), ids[i]);
        text += (i == 0 ? " " : ", ") + (peer ? peer->description() : "#" + std::to_string(ids[i]));
    }
    if (ids.size() > kNamedDestinations)
        text += " and " + std::to_string(ids.size() - kNamedDestinations) + " more";
    return text;
}

} // namespace ttroute
