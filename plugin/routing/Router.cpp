#include "Router.h"

#include "routing/RouterStep.h"

#include "routing/TraceRecorder.h"
#include "wire/ProtocolIds.h"

#include "tthost/ConfigReader.h"

#include <algorithm>
#include <optional>
#include <shared_mutex>

namespace ttroute
{
namespace
{

/// Announcements a burst (a loss's users at expiry, their return) may queue for a peer before
/// the next slice waits: a relayed PDU or an answer never waits behind more of them.
constexpr std::size_t kAnnouncementBacklogBytes = 1024 * 1024;

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

} // namespace

Router::Router(PresenceRegistry& presence, PeerDirectory& peers, const LiveSettings& settings, RouteCounters& counters,
               Tracer& tracer, Poco::Logger& logger)
    : presence_(presence)
    , peers_(peers)
    , settings_(settings)
    , counters_(counters)
    , tracer_(tracer)
    , logger_(logger)
    , pacer_(peers, logger)
{
}

void Router::attach(std::shared_ptr<PeerLink> peer)
{
    peers_.add(std::move(peer));
}

void Router::detach(PeerLink& peer, bool announce)
{
    peers_.remove(peer);
    pacer_.forget(peer.id());
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
        trace.emplace(tracer_, from, peers_);
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
    // A connection that hosted a million users goes with a million announcements: the
    // others' outboxes get time to take them, a quarter of their limit at most at a time.
    pacer_.wait(except, std::min(kAnnouncementBacklogBytes, settings_.maxOutboxBytes() / 4));
}

void Router::logQueryCap(const PeerLink& from, const FrameView& frame, std::size_t asked, std::size_t answered)
{
    std::uint64_t suppressed = 0;
    if (queryCapLog_.allow(suppressed))
        logger_.warning(from.description() + ": USERS_STATUS_REQUEST seq " + std::to_string(frame.header.seqNum) + " asks for " +
                        std::to_string(asked) + " ids; answering the first " + std::to_string(answered) + " (max_status_query_ids)" +
                        suppressedNote(suppressed));
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
