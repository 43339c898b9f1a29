#include "RouterStep.h"

#include "IM.Server.pb.h"
#include "routing/StatusNotifications.h"
#include "wire/ProtoWire.h"
#include "wire/ProtocolIds.h"

#include <algorithm>
#include <cassert>

namespace ttroute
{
namespace
{

/// Generated frames are handed over in blocks of about this size, so a burst (a connection
/// that hosted many users going away) travels as a few large shared blocks.
constexpr std::size_t kGeneratedBlockBytes = 256 * 1024;

/// The client type an announcement of a lost login names: any PC type reads the same (protocol.md §5).
constexpr std::uint32_t kAnyPcType = IM::BaseDefine::CLIENT_TYPE_WINDOWS;

/// True when an update with `status` and `clientType` that left the user in `outcome` was a
/// PC login: what brings a user announced or held offline back.
bool isPcLogin(std::uint32_t status, std::uint32_t clientType, PresenceOutcome outcome)
{
    return status != UserStatus::Offline && isPcClientType(clientType) && outcome.pcOnline;
}

/// Parses a frame's body. A body missing required fields fails like a malformed one, without
/// libprotobuf's own (unthrottled) error print: the router logs it, rate-limited.
bool parseBody(google::protobuf::MessageLite& message, const FrameView& frame)
{
    return message.ParsePartialFromArray(frame.body(), static_cast<int>(frame.bodySize())) && message.IsInitialized();
}

/// IMOnlineUserInfo.user_stat_list.
constexpr std::uint32_t kUserStatListField = 1;

/// How many times field `number` occurs in the frame's body, up to its first malformed byte
/// (the parser then rejects the body anyway).
std::size_t countFields(const FrameView& frame, std::uint32_t number)
{
    ProtoWire::Reader reader(frame.body(), frame.bodySize());
    ProtoWire::Field field;
    std::size_t count = 0;
    while (reader.next(field))
        count += field.number == number ? 1 : 0;
    return count;
}

/// ONLINE, OFFLINE and LEAVE: the statuses an update may carry (protocol.md §4).
bool isKnownUserStatus(std::uint32_t status)
{
    return status == UserStatus::Online || status == UserStatus::Offline || status == UserStatus::Leave;
}

} // namespace

Router::Step::Step(Router& router, PeerLink& from, RouteScratch& scratch)
    : router_(router)
    , from_(from)
    , scratch_(scratch)
{
}

void Router::Step::relay(const FrameView& frame, bool includeSender)
{
    from_.raiseStanding(PeerStanding::Established); // it routes: a msg server
    if (!includeSender && router_.settings_.relayMode() == RelayMode::Targeted)
        if (const auto targets = relayTargets(frame))
            return relayTargeted(frame, *targets);
    fate_.action = includeSender ? PduFate::Action::RelayedToAll : PduFate::Action::Relayed;
    const Destination destination = includeSender ? Destination::Everyone : Destination::Others;
    if (pending_ != destination || frame.bytes != runEnd_)
    {
        flush();
        pending_ = destination;
        runBegin_ = runEnd_ = frame.bytes;
    }
    runEnd_ += frame.header.length;
    ++runFrames_;
    batchTally_.add(frame.header.commandId, frame.header.length);
}

void Router::Step::relayTargeted(const FrameView& frame, const RelayTargets& targets)
{
    // A batch that holds the presence lock goes first: the lookup below takes it again.
    if (pending_ != Destination::Selected)
    {
        flush();
        pending_ = Destination::Selected;
    }
    scratch_.connections.clear();
    // Held for the read's consecutive targeted frames, released before they are sent.
    if (!shared_.owns_lock())
        shared_ = std::shared_lock(router_.presenceLock_);
    for (std::size_t i = 0; i < targets.count; ++i)
        router_.presence_.appendConnectionsOf(targets.users[i], scratch_.connections);
    std::sort(scratch_.connections.begin(), scratch_.connections.end());
    scratch_.connections.erase(std::unique(scratch_.connections.begin(), scratch_.connections.end()), scratch_.connections.end());
    if (!peers_)
        peers_ = router_.peers_.snapshot();
    std::uint64_t destinations = 0;
    for (ConnectionId id : scratch_.connections)
    {
        // Not back to the sender, and not to a peer leaving (out of the directory already,
        // its logins not yet removed).
        PeerLink* peer = id == from_.id() ? nullptr : PeerDirectory::find(*peers_, id);
        if (!peer)
            continue;
        scratch_.gathers.add(*peer, frame);
        ++destinations;
    }
    if (destinations == 0)
    {
        ++unaddressed_; // nobody else hosts its users: it costs no send
        fate_.action = PduFate::Action::Unaddressed;
        return;
    }
    fate_.action = PduFate::Action::RelayedTargeted;
    sent_.add(frame.header.commandId, frame.header.length, destinations);
    ++runFrames_;
}

void Router::Step::statusUpdate(const FrameView& frame)
{
    IM::Server::IMUserStatusUpdate update;
    if (!parseBody(update, frame) || !isKnownUserStatus(update.user_status()))
        return dropBody(frame);
    from_.raiseStanding(PeerStanding::Established); // it registers: a msg server
    startGenerated(Destination::PresenceChanges);
    prepareResize(update.user_status() == UserStatus::Offline ? -1 : 1);
    const PresenceOutcome outcome = router_.presence_.apply(from_.id(), update.user_id(), update.user_status(), update.client_type());
    if (!router_.lost_.empty() && isPcLogin(update.user_status(), update.client_type(), outcome) &&
        router_.lost_.userBack(update.user_id()) == LostUsers::Return::WasHeld)
        ++cameBack_; // announced as any login is, below
    if (router_.settings_.announceViaMaster() && from_.role() == PeerRole::Slave)
    {
        ++unannounced_; // its master route server announces it (protocol.md §8)
        fate_.action = PduFate::Action::Unannounced;
        return;
    }
    fate_.action = PduFate::Action::Applied;
    fate_.notifications = appendStatusNotifications(generated_, batchTally_, update.user_id(), update.user_status(), update.client_type(), outcome);
    generatedFrames_ += fate_.notifications;
    flushIfLarge();
}

void Router::Step::onlineUserInfo(const FrameView& frame)
{
    // Counted before parsing: the generated parser would allocate every entry first.
    const std::size_t entries = countFields(frame, kUserStatListField);
    if (entries > router_.settings_.maxOnlineUserInfoEntries())
        return dropOversized(frame, entries);
    IM::Server::IMOnlineUserInfo info;
    if (!parseBody(info, frame))
        return dropBody(frame);
    // A stock msg server sends ROLE_SET first on the link it makes its master, and
    // nothing on the others (protocol.md §8).
    if (from_.role() == PeerRole::Unknown)
        from_.setRole(PeerRole::Slave);
    from_.raiseStanding(PeerStanding::Established);
    fate_.action = PduFate::Action::Registered;
    startGenerated(Destination::PresenceChanges);
    const int count = info.user_stat_list_size();
    for (int begin = 0; begin < count; begin += static_cast<int>(kPresenceSlice))
    {
        const int end = std::min(count, begin + static_cast<int>(kPresenceSlice));
        if (begin > 0)
            handOverAndResume(generatedFrames_ > 0);
        prepareResize(end - begin);
        for (int i = begin; i < end; ++i)
        {
            const auto& entry = info.user_stat_list(i);
            const PresenceOutcome outcome = router_.presence_.apply(from_.id(), entry.user_id(), entry.status(), entry.client_type());
            if (router_.lost_.empty() || !isPcLogin(entry.status(), entry.client_type(), outcome))
                continue;
            switch (router_.lost_.userBack(entry.user_id()))
            {
                case LostUsers::Return::WasHeld:
                    ++cameBack_;
                    break;
                case LostUsers::Return::WasAnnounced:
                    ++healed_;
                    generatedFrames_ += appendStatusNotifications(generated_, batchTally_, entry.user_id(), entry.status(),
                                                                  entry.client_type(), outcome);
                    break;
                case LostUsers::Return::Unknown:
                    break;
            }
        }
    }
}

void Router::Step::statusRequest(const FrameView& frame)
{
    if (!scratch_.query.parse(frame.body(), frame.bodySize()))
        return dropBody(frame);
    const std::size_t asked = scratch_.query.ids().size();
    const std::size_t answered = std::min(asked, router_.settings_.maxStatusQueryIds());
    if (answered < asked)
    {
        flush(); // not logged under the presence lock
        router_.logQueryCap(from_, frame, asked, answered);
    }
    startGenerated(Destination::Replies);
    router_.presence_.queryOnline(scratch_.query.ids().data(), answered, scratch_.online);
    const std::size_t before = generated_.size();
    scratch_.query.appendAnswer(generated_, frame.header.seqNum, answered, scratch_.online);
    batchTally_.add(CommandId::UsersStatusResponse, generated_.size() - before);
    ++generatedFrames_;
    ++statusQueries_;
    idsQueried_ += answered;
    fate_ = {PduFate::Action::Answered, 0, answered};
    flushIfLarge();
}

void Router::Step::roleSet(const FrameView& frame)
{
    IM::Server::IMRoleSet role;
    if (!parseBody(role, frame))
        return dropBody(frame);
    from_.raiseStanding(PeerStanding::Established);
    if (!from_.setRole(role.master() != 0 ? PeerRole::Master : PeerRole::Slave))
        return;
    flush();
    router_.logger_.information(from_.description() + " calls itself " + (role.master() != 0 ? "master" : "slave"));
}

void Router::Step::connectionLost(const std::uint32_t* userIds, std::size_t count, std::uint64_t* loss)
{
    startGenerated(Destination::PresenceChanges);
    prepareResize(-static_cast<std::ptrdiff_t>(count));
    for (std::size_t i = 0; i < count; ++i)
    {
        const auto lost = router_.presence_.removeLogins(from_.id(), userIds[i]);
        if (!lost)
            continue;
        ++lostUsers_;
        if (loss)
            *loss = router_.lost_.hold(*loss, from_.description(), lost->userId);
    }
}

void Router::Step::lossExpired(LostUsers::Loss& loss, std::size_t begin, std::size_t end, bool announce)
{
    startGenerated(Destination::PresenceChanges);
    LostUsers& lost = router_.lost_;
    for (std::size_t i = begin; i < end; ++i)
    {
        const std::uint32_t user = loss.users[i];
        if (!lost.isHeld(user, loss))
            continue; // came back, and was counted then
        const PresenceOutcome state = router_.presence_.stateOf(user);
        if (!announce || state.pcOnline)
        {
            lost.released(user, loss);
            ++(state.pcOnline ? cameBack_ : released_);
            continue;
        }
        lost.announced(user, loss);
        ++lostUsers_;
        generatedFrames_ += appendStatusNotifications(generated_, batchTally_, user, UserStatus::Offline, kAnyPcType, {state.known, false});
        flushIfLarge();
    }
}

void Router::Step::flush()
{
    std::size_t destinations = 0;
    switch (pending_)
    {
        case Destination::Nothing:
            return;
        case Destination::Others:
        case Destination::Everyone:
        {
            FrameBatch batch(runBegin_, static_cast<std::size_t>(runEnd_ - runBegin_), runFrames_);
            destinations = router_.deliverToAll(batch, pending_ == Destination::Others ? &from_ : nullptr);
            relayed_ += runFrames_;
            break;
        }
        case Destination::Selected:
        {
            if (shared_.owns_lock())
                shared_.unlock();
            scratch_.gathers.deliver();
            peers_.reset();
            relayed_ += runFrames_;
            break;
        }
        case Destination::PresenceChanges:
            if (!generated_.empty())
            {
                FrameBatch batch(std::make_shared<const std::string>(std::move(generated_)), generatedFrames_);
                destinations = router_.deliverToAll(batch, nullptr);
                notifications_ += generatedFrames_;
            }
            exclusive_.unlock();
            break;
        case Destination::Replies:
        {
            FrameBatch batch(std::make_shared<const std::string>(std::move(generated_)), generatedFrames_);
            from_.deliver(batch);
            destinations = 1;
            shared_.unlock();
            break;
        }
    }
    batchTally_.addTo(sent_, destinations);
    batchTally_ = CommandTally();
    pending_ = Destination::Nothing;
    runFrames_ = 0;
    generated_.clear();
    generatedFrames_ = 0;
}

void Router::Step::received(const FrameView& frame)
{
    received_.add(frame.header.commandId, frame.header.length);
    fate_ = PduFate();
}

void Router::Step::count()
{
    RouteCounters& c = router_.counters_;
    received_.flushInto(c.received);
    sent_.flushInto(c.sent);
    RouteCounters::add(c.framesRelayed, relayed_);
    RouteCounters::add(c.relayUnaddressed, unaddressed_);
    RouteCounters::add(c.statusQueries, statusQueries_);
    RouteCounters::add(c.idsQueried, idsQueried_);
    RouteCounters::add(c.notificationsSent, notifications_);
    RouteCounters::add(c.bodiesDropped, dropped_);
    RouteCounters::add(c.statusUpdatesUnannounced, unannounced_);
    RouteCounters::add(c.usersHealed, healed_);
    RouteCounters::add(c.lostUsers[static_cast<std::size_t>(LossOutcome::CameBack)], cameBack_);
    RouteCounters::add(c.lostUsers[static_cast<std::size_t>(LossOutcome::Forgotten)], released_);
}

void Router::Step::startGenerated(Destination destination)
{
    if (pending_ == destination)
        return;
    flush();
    if (destination == Destination::PresenceChanges)
        exclusive_ = std::unique_lock(router_.presenceLock_);
    else
        shared_ = std::shared_lock(router_.presenceLock_);
    pending_ = destination;
}

void Router::Step::handOverAndResume(bool paced)
{
    const Destination destination = pending_;
    flush();
    if (paced)
        router_.waitForOutboxes(&from_);
    startGenerated(destination);
}

void Router::Step::prepareResize(std::ptrdiff_t change)
{
    assert(pending_ == Destination::PresenceChanges);
    const std::size_t capacity = router_.presence_.capacityAfter(change);
    if (capacity == 0)
        return;
    flush();
    PreparedSlots slots = PresenceRegistry::prepareSlots(capacity);
    startGenerated(Destination::PresenceChanges);
    router_.presence_.provideSlots(std::move(slots));
}

void Router::Step::flushIfLarge()
{
    if (generated_.size() >= kGeneratedBlockBytes)
        handOverAndResume();
}

void Router::Step::dropBody(const FrameView& frame)
{
    ++dropped_;
    fate_.action = PduFate::Action::DroppedBadBody;
    flush();
    router_.logDroppedBody(from_, frame);
}

void Router::Step::dropOversized(const FrameView& frame, std::size_t entries)
{
    ++dropped_;
    fate_ = {PduFate::Action::DroppedOversized, 0, entries};
    flush();
    router_.logOversized(from_, frame, entries);
}

} // namespace ttroute
