#include "Router.h"

#include "IM.Buddy.pb.h"
#include "IM.Server.pb.h"
#include "ProtoWire.h"
#include "ProtocolIds.h"
#include "RelayTargets.h"
#include "StatusQuery.h"
#include "TraceRecorder.h"

#include "tthost/ConfigReader.h"

#include <algorithm>
#include <cassert>
#include <optional>
#include <shared_mutex>
#include <thread>

namespace ttroute
{
namespace
{

/// Generated frames are handed over in blocks of about this size, so a burst (a connection
/// that hosted many users going away) travels as a few large shared blocks.
constexpr std::size_t kGeneratedBlockBytes = 256 * 1024;

/// Presence changes made under one hold of the presence lock: a lost connection's users, an
/// ONLINE_USER_INFO's entries. Between slices the other connections' relays and queries get
/// their turn, so a large change stalls them for a slice, not for the whole change.
constexpr std::size_t kPresenceSlice = 4096;

/// Announcements a burst (a loss's users at expiry, their return) may queue for a peer before
/// the next slice waits: a relayed PDU or an answer never waits behind more of them.
constexpr std::size_t kAnnouncementBacklogBytes = 1024 * 1024;

/// Appends the notifications protocol.md §5 prescribes after user `userId` sent `status`
/// with `clientType` and presence became `outcome`, counting them in `tally`; returns how
/// many frames it appended.
std::uint32_t appendStatusNotifications(std::string& out, CommandTally& tally, std::uint32_t userId, std::uint32_t status,
                                        std::uint32_t clientType, PresenceOutcome outcome)
{
    std::uint32_t frames = 0;
    std::size_t before = out.size();
    const bool offline = status == UserStatus::Offline;
    const bool pc = isPcClientType(clientType);
    if (outcome.known && ((offline && pc && !outcome.pcOnline) || (!offline && outcome.pcOnline)))
    {
        IM::Server::IMServerPCLoginStatusNotify notify;
        notify.set_user_id(userId);
        notify.set_login_status(offline ? 0 : 1);
        appendFrame(out, ServiceId::Other, CommandId::LoginStatusNotify, 0, notify);
        tally.add(CommandId::LoginStatusNotify, out.size() - before);
        before = out.size();
        ++frames;
    }
    if (pc && !(offline && outcome.pcOnline))
    {
        IM::Buddy::IMUserStatNotify notify;
        notify.mutable_user_stat()->set_user_id(userId);
        notify.mutable_user_stat()->set_status(static_cast<IM::BaseDefine::UserStatType>(status));
        appendFrame(out, ServiceId::BuddyList, CommandId::BuddyStatusNotify, 0, notify);
        tally.add(CommandId::BuddyStatusNotify, out.size() - before);
        ++frames;
    }
    return frames;
}

/// The client type an announcement of a lost login names: any PC type reads the same (protocol.md §5).
constexpr std::uint32_t kAnyPcType = IM::BaseDefine::CLIENT_TYPE_WINDOWS;

/// True when an update with `status` and `clientType` that left the user in `outcome` was a
/// PC login: what brings a user announced or held offline back.
bool isPcLogin(std::uint32_t status, std::uint32_t clientType, PresenceOutcome outcome)
{
    return status != UserStatus::Offline && isPcClientType(clientType) && outcome.pcOnline;
}

/// A duration as the configuration writes it: "20s", "250ms".
std::string formatMillis(std::chrono::milliseconds span)
{
    return tthost::formatDuration(Poco::Timespan(span.count() * 1000));
}

/// "0x070a": how ids appear in logs, as in protocol.md.
std::string hex(std::uint16_t id)
{
    static const char digits[] = "0123456789abcdef";
    return {'0', 'x', digits[(id >> 12) & 0xF], digits[(id >> 8) & 0xF], digits[(id >> 4) & 0xF], digits[id & 0xF]};
}

/// " [N similar lines suppressed]" after a rate-limited line, or nothing.
std::string suppressedNote(std::uint64_t suppressed)
{
    return suppressed ? " [" + std::to_string(suppressed) + " similar lines suppressed]" : std::string();
}

/// A connection that is gone, as the router still names it: the announcements of its loss
/// go to every peer, none to it.
class LostConnection final : public PeerLink
{
public:
    explicit LostConnection(std::string description)
        : description_(std::move(description))
    {
    }

    ConnectionId id() const override { return 0; } // connection ids start at 1
    const std::string& description() const override { return description_; }
    void deliver(FrameBatch&) override {}
    std::size_t queuedBytes() const override { return 0; }
    void close(DisconnectReason) override {}

private:
    std::string description_;
};

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

/// The routing of one read's frames. Consecutive frames with the same destinations form one
/// batch, handed over as soon as the next frame goes elsewhere: a run of relayed frames (one
/// span of the read buffer), generated notifications or answers (one block, built while the
/// presence lock is held), or targeted frames gathered per destination peer. Nothing is
/// logged while the presence lock is held: the batch is handed over first.
class Router::Step
{
public:
    Step(Router& router, PeerLink& from, RouteScratch& scratch)
        : router_(router)
        , from_(from)
        , scratch_(scratch)
    {
    }

    /// A frame relayed as received: to every other peer, or to everyone including the sender;
    /// in targeted mode a one-to-one frame only to the peers hosting its users.
    void relay(const FrameView& frame, bool includeSender)
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

    /// A one-to-one frame in targeted mode: to the peers that host `targets`, never back to
    /// the sender; to nobody when no other peer hosts them (protocol.md §6, beyond). Frames
    /// of one read are gathered per destination, so each peer gets all of its frames of the
    /// read in one write, whatever order their destinations come in.
    void relayTargeted(const FrameView& frame, const RelayTargets& targets)
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

    /// USER_STATUS_UPDATE: apply it, then notify everyone (protocol.md §4, §5).
    void statusUpdate(const FrameView& frame)
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

    /// ONLINE_USER_INFO: apply every entry as a status update from this peer, without
    /// notifications, except for users announced offline after a lost connection: their
    /// return is announced as a login (protocol.md §7), paced to what the other peers read.
    void onlineUserInfo(const FrameView& frame)
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

    /// USERS_STATUS_REQUEST: answer on the same connection (protocol.md §5).
    void statusRequest(const FrameView& frame)
    {
        if (!scratch_.query.parse(frame.body(), frame.bodySize()))
            return dropBody(frame);
        const std::size_t asked = scratch_.query.ids().size();
        const std::size_t answered = std::min(asked, router_.settings_.maxStatusQueryIds());
        if (answered < asked)
            logQueryCap(frame, asked, answered);
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

    /// ROLE_SET: recorded (protocol.md §5, §8); logged when the role changes.
    void roleSet(const FrameView& frame)
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

    /// Removes the logins `from_` (a lost connection) had for `userIds`. With `loss`, holds
    /// the offline announcement of each user who thereby lost their last PC login in that
    /// loss of LostUsers (0: none yet, started by the first such user).
    void connectionLost(const std::uint32_t* userIds, std::size_t count, std::uint64_t* loss)
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

    /// Users who lost their last PC login in connectionLost(), or were announced offline in
    /// lossExpired().
    std::uint64_t lostUsers() const { return lostUsers_; }

    /// The grace of `loss` is over: announces offline each of its users [begin, end) still
    /// held and online nowhere, as if the user had sent OFFLINE for its last PC login
    /// (protocol.md §7); without `announce` (the grace is "never" now), forgets them quietly.
    void lossExpired(LostUsers::Loss& loss, std::size_t begin, std::size_t end, bool announce)
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

    /// Held users found back: in lossExpired(), those back online without a login seen.
    std::uint64_t cameBack() const { return cameBack_; }

    /// Held users lossExpired() forgot unannounced.
    std::uint64_t released() const { return released_; }

    /// Users an ONLINE_USER_INFO brought back after they were announced offline.
    std::uint64_t healed() const { return healed_; }

    /// Notifications handed over so far.
    std::uint64_t notifications() const { return notifications_; }

    /// Hands the batch being built to its destinations.
    void flush()
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

    /// Counts a received frame, whose fate is yet to come.
    void received(const FrameView& frame)
    {
        received_.add(frame.header.commandId, frame.header.length);
        fate_ = PduFate();
    }

    /// What became of the frame received last.
    const PduFate& fate() const { return fate_; }

    /// Adds what this step counted to the router's totals.
    void count()
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

private:
    enum class Destination
    {
        Nothing,
        Others,          ///< relayed run, to every peer but the sender
        Everyone,        ///< relayed run, to every peer
        Selected,        ///< relayed frames gathered per destination (targeted mode)
        PresenceChanges, ///< presence changed, generated notifications to every peer; lock held exclusively
        Replies,         ///< generated answers to the sender; lock held shared
    };

    void startGenerated(Destination destination)
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

    /// Hands the generated batch over, releasing the presence lock for a moment, and goes on
    /// building the same kind of batch; with `paced`, first lets the other peers read most of
    /// what they were handed (a burst of announcements).
    void handOverAndResume(bool paced = false)
    {
        const Destination destination = pending_;
        flush();
        if (paced)
            router_.waitForOutboxes(&from_);
        startGenerated(destination);
    }

    /// Called with the presence lock held exclusively, before `change` users may come
    /// (positive) or go (negative). When that would resize the presence table, makes the new
    /// table's empty slots with the lock released: the costly part of a resize (48 MB to
    /// clear for a million users) then stalls nobody, and the resize itself only moves users.
    void prepareResize(std::ptrdiff_t change)
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

    void flushIfLarge()
    {
        if (generated_.size() >= kGeneratedBlockBytes)
            handOverAndResume();
    }

    void dropBody(const FrameView& frame)
    {
        ++dropped_;
        fate_.action = PduFate::Action::DroppedBadBody;
        flush();
        router_.logDroppedBody(from_, frame);
    }

    void dropOversized(const FrameView& frame, std::size_t entries)
    {
        ++dropped_;
        fate_ = {PduFate::Action::DroppedOversized, 0, entries};
        flush();
        router_.logOversized(from_, frame, entries);
    }

    void logQueryCap(const FrameView& frame, std::size_t asked, std::size_t answered)
    {
        flush();
        std::uint64_t suppressed = 0;
        if (router_.queryCapLog_.allow(suppressed))
            router_.logger_.warning(from_.description() + ": USERS_STATUS_REQUEST seq " + std::to_string(frame.header.seqNum) +
                                    " asks for " + std::to_string(asked) + " ids; answering the first " + std::to_string(answered) +
                                    " (max_status_query_ids)" + suppressedNote(suppressed));
    }

    Router& router_;
    PeerLink& from_;
    RouteScratch& scratch_;
    Destination pending_ = Destination::Nothing;
    const char* runBegin_ = nullptr;
    const char* runEnd_ = nullptr;
    std::uint32_t runFrames_ = 0;
    std::string generated_;
    std::uint32_t generatedFrames_ = 0;
    CommandTally batchTally_; ///< what the pending batch holds
    PduFate fate_;            ///< of the frame at hand
    CommandTally received_;
    CommandTally sent_;
    std::unique_lock<WriterPriorityMutex> exclusive_;
    std::shared_lock<WriterPriorityMutex> shared_;
    TargetedGathers gathers_;               ///< where the Selected batch goes, and what
    std::shared_ptr<const PeerDirectory::PeerList> peers_; ///< the peers a Selected batch may go to
    std::uint64_t relayed_ = 0;
    std::uint64_t unaddressed_ = 0;
    std::uint64_t statusQueries_ = 0;
    std::uint64_t idsQueried_ = 0;
    std::uint64_t notifications_ = 0;
    std::uint64_t dropped_ = 0;
    std::uint64_t lostUsers_ = 0;
    std::uint64_t cameBack_ = 0;
    std::uint64_t released_ = 0;
    std::uint64_t healed_ = 0;
    std::uint64_t unannounced_ = 0;
};

Router::Router(PresenceRegistry& presence, PeerDirectory& peers, const LiveSettings& settings, RouteCounters& counters,
               Tracer& tracer, Poco::Logger& logger)
    : presence_(presence)
    , peers_(peers)
    , settings_(settings)
    , counters_(counters)
    , tracer_(tracer)
    , logger_(logger)
{
}

void Router::attach(std::shared_ptr<PeerLink> peer)
{
    peers_.add(std::move(peer));
}

void Router::detach(PeerLink& peer, bool announce)
{
    peers_.remove(peer);
    const auto grace = settings_.peerLossGrace();
    // With route.announce_via_master, a msg server's losses are announced by the route
    // server it calls master, as its status changes are (protocol.md §8).
    const bool hold = announce && grace && !(settings_.announceViaMaster() && peer.role() == PeerRole::Slave);
    std::vector<std::uint32_t> users;
    {
        // Shared: nothing but this call changes the peer's logins now. A storm of connections
        // that registered nobody then goes without one exclusive hold of the lock, which
        // would make every relay lookup and query wait its turn.
        std::shared_lock lock(presenceLock_);
        users = presence_.usersOn(peer.id());
    }
    if (users.empty())
        return;
    if (hold)
    {
        std::unique_lock lock(presenceLock_);
        lost_.reserve(users.size());
    }
    // Nothing else changes this connection's logins any more: taking them off in slices is
    // exact, and each slice re-checks the users' other logins at the moment it runs.
    std::uint64_t loss = 0;
    std::uint64_t lost = 0;
    RouteScratch scratch; // a lost connection's removal neither relays nor answers: stays empty
    for (std::size_t begin = 0; begin < users.size(); begin += kPresenceSlice)
    {
        Step step(*this, peer, scratch);
        step.connectionLost(users.data() + begin, std::min(kPresenceSlice, users.size() - begin), hold ? &loss : nullptr);
        step.flush();
        step.count();
        lost += step.lostUsers();
    }
    if (loss != 0)
    {
        std::unique_lock lock(presenceLock_);
        lost_.complete(loss);
    }
    if (lost == 0 || !announce)
        return; // a stop forgets everyone: msg servers re-register wherever they go next
    logLoss(peer, lost, hold);
    RouteCounters::add(counters_.lostUsers[static_cast<std::size_t>(hold ? LossOutcome::Held : LossOutcome::NotHeld)], lost);
    if (hold && grace->count() == 0)
        announceLosses(std::chrono::steady_clock::now());
}

std::chrono::steady_clock::time_point Router::announceLosses(std::chrono::steady_clock::time_point now)
{
    std::lock_guard expiring(expiryMutex_);
    for (;;)
    {
        const auto grace = settings_.peerLossGrace();
        LostUsers::Loss* loss = nullptr;
        std::size_t users = 0;
        {
            std::shared_lock lock(presenceLock_);
            loss = lost_.nextToExpire();
            if (!loss)
                return std::chrono::steady_clock::time_point::max();
            if (grace && loss->lostAt + *grace > now)
                return loss->lostAt + *grace;
            users = loss->users.size();
        }
        // Only this thread expires or forgets losses; others add losses at the end, which
        // leaves this one where it is.
        LostConnection gone(loss->peer);
        RouteScratch scratch;
        std::uint64_t announced = 0, cameBack = 0, released = 0, notifications = 0;
        for (std::size_t begin = 0; begin < users; begin += kPresenceSlice)
        {
            Step step(*this, gone, scratch);
            step.lossExpired(*loss, begin, std::min(users, begin + kPresenceSlice), grace.has_value());
            step.flush();
            step.count();
            announced += step.lostUsers();
            cameBack += step.cameBack();
            released += step.released();
            notifications += step.notifications();
            if (step.notifications() > 0)
                waitForOutboxes(nullptr);
        }
        std::string peer = loss->peer;
        {
            std::unique_lock lock(presenceLock_);
            cameBack += loss->cameBack;
            lost_.expired(*loss);
        }
        RouteCounters::add(counters_.lostUsers[static_cast<std::size_t>(LossOutcome::Announced)], announced);
        if (grace)
            logger_.information(peer + ": grace of " + formatMillis(*grace) + " over: " + std::to_string(announced) +
                                " users announced offline (" + std::to_string(notifications) + " notifications), " +
                                std::to_string(cameBack) + " came back in time");
        else
            logger_.information(peer + ": " + std::to_string(released) + " users held since its loss forgotten unannounced, " +
                                std::to_string(cameBack) + " came back (route.peer_loss_grace is now never)");
    }
}

std::pair<std::size_t, std::size_t> Router::lostUserCounts()
{
    std::shared_lock lock(presenceLock_);
    return {lost_.heldUsers(), lost_.rememberedUsers()};
}

void Router::logLoss(const PeerLink& peer, std::size_t lost, bool held) const
{
    std::string line = peer.description() + ": " + std::to_string(lost) + " users went offline with it; ";
    const auto grace = settings_.peerLossGrace();
    if (held && grace->count() == 0)
        line += "announcing them offline now (route.peer_loss_grace is 0)";
    else if (held)
        line += "announced after " + formatMillis(*grace) + " unless they come back (route.peer_loss_grace)";
    else if (!grace)
        line += "not announced (route.peer_loss_grace is never)";
    else
        line += "not announced here: it calls another route server its master (route.announce_via_master)";
    logger_.information(line);
}

void Router::route(PeerLink& from, const std::vector<FrameView>& frames, RouteScratch& scratch)
{
    from.raiseStanding(PeerStanding::Chatty); // whole PDUs, at least
    // One relaxed load when no trace runs: all that tracing costs the routing path then.
    std::optional<TraceRecorder> trace;
    if (tracer_.active())
        trace.emplace(tracer_, from, peers_.snapshot());
    Step step(*this, from, scratch);
    for (const FrameView& frame : frames)
    {
        step.received(frame);
        switch (frame.header.commandId)
        {
            case CommandId::MsgData:
            case CommandId::SwitchP2PCmd:
            case CommandId::MsgReadNotify:
            case CommandId::ServerKickUser:
            case CommandId::GroupChangeMemberNotify:
            case CommandId::FileNotify:
            case CommandId::RemoveSessionNotify:
                step.relay(frame, false);
                break;
            case CommandId::SignInfoChangedNotify:
                step.relay(frame, true);
                break;
            case CommandId::UserStatusUpdate:
                step.statusUpdate(frame);
                break;
            case CommandId::OnlineUserInfo:
                step.onlineUserInfo(frame);
                break;
            case CommandId::UsersStatusRequest:
                step.statusRequest(frame);
                break;
            case CommandId::RoleSet:
                step.roleSet(frame);
                break;
            case CommandId::Heartbeat:
                break; // life only; the connection already noted it
            default:
                RouteCounters::add(counters_.framesIgnored, 1);
                if (logger_.debug())
                {
                    step.flush(); // not logged under the presence lock
                    logIgnored(from, frame);
                }
                break;
        }
        if (trace)
            trace->note(frame, step.fate(), scratch);
    }
    step.flush();
    step.count();
    if (trace)
        trace->publish();
    scratch.trim();
    if (step.healed() > 0)
        logger_.information(from.description() + ": " + std::to_string(step.healed()) +
                            " users it lists were announced offline after a lost connection; announced online again");
}

std::size_t Router::deliverToAll(FrameBatch& batch, const PeerLink* except)
{
    const auto peers = peers_.snapshot();
    std::size_t delivered = 0;
    for (const auto& peer : *peers)
        if (peer.get() != except)
        {
            peer->deliver(batch);
            ++delivered;
        }
    return delivered;
}

void Router::waitForOutboxes(const PeerLink* except)
{
    // A connection that hosted a million users goes with a million announcements: give the
    // others' outboxes time to take them, rather than overflowing peers that do read, and so
    // that live traffic never queues behind more than a little of them. A peer whose queue
    // stops shrinking is not waited for: its own limit deals with it.
    const std::size_t comfortable = std::min(kAnnouncementBacklogBytes, settings_.maxOutboxBytes() / 4);
    std::size_t before = SIZE_MAX;
    auto progressed = std::chrono::steady_clock::now();
    for (;;)
    {
        const auto peers = peers_.snapshot();
        std::size_t excess = 0;
        for (const auto& peer : *peers)
            if (peer.get() != except)
                excess += peer->queuedBytes() > comfortable ? peer->queuedBytes() - comfortable : 0;
        const auto now = std::chrono::steady_clock::now();
        if (excess == 0 || now - progressed > std::chrono::milliseconds(200))
            return;
        if (excess < before)
            progressed = now;
        before = excess;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
}

void Router::logDroppedBody(const PeerLink& from, const FrameView& frame)
{
    std::uint64_t suppressed = 0;
    if (badBodyLog_.allow(suppressed))
        logger_.warning(from.description() + ": dropped " + commandName(frame.header.commandId) + " (service " +
                        hex(frame.header.serviceId) + ", command " + hex(frame.header.commandId) + ", seq " +
                        std::to_string(frame.header.seqNum) + "): body of " + std::to_string(frame.bodySize()) +
                        " bytes is not a valid message" + suppressedNote(suppressed));
}

void Router::logOversized(const PeerLink& from, const FrameView& frame, std::size_t entries)
{
    std::uint64_t suppressed = 0;
    if (badBodyLog_.allow(suppressed))
        logger_.warning(from.description() + ": dropped ONLINE_USER_INFO (seq " + std::to_string(frame.header.seqNum) + ") of " +
                        std::to_string(entries) + " entries, over max_online_user_info_entries " +
                        std::to_string(settings_.maxOnlineUserInfoEntries()) + suppressedNote(suppressed));
}

void Router::logIgnored(const PeerLink& from, const FrameView& frame)
{
    std::uint64_t suppressed = 0;
    if (ignoredLog_.allow(suppressed))
        logger_.debug(from.description() + ": ignored frame with service " + hex(frame.header.serviceId) + ", command " +
                      hex(frame.header.commandId) + " (" + std::to_string(frame.header.length) + " bytes): not routed" +
                      suppressedNote(suppressed));
}

} // namespace ttroute
