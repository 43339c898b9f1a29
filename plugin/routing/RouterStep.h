#pragma once

// Router::Step, the routing of one read's frames: Router's own nested class, in a file of its
// own because it is most of the routing rules.

#include "routing/PduFate.h"
#include "routing/Router.h"
#include "wire/RelayTargets.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>

namespace ttroute
{

/// The routing of one read's frames. Consecutive frames with the same destinations form one
/// batch, handed over as soon as the next frame goes elsewhere: a run of relayed frames (one
/// span of the read buffer), generated notifications or answers (one block, built while the
/// presence lock is held), or targeted frames gathered per destination peer. Nothing is
/// logged while the presence lock is held: the batch is handed over first.
class Router::Step
{
public:
    /// Routes what `from` sent through `router`, with `from`'s own scratch buffers.
    Step(Router& router, PeerLink& from, RouteScratch& scratch);

    /// A frame relayed as received: to every other peer, or to everyone including the sender;
    /// in targeted mode a one-to-one frame only to the peers hosting its users.
    void relay(const FrameView& frame, bool includeSender);

    /// A one-to-one frame in targeted mode: to the peers that host `targets`, never back to
    /// the sender; to nobody when no other peer hosts them (protocol.md §6, beyond). Frames
    /// of one read are gathered per destination, so each peer gets all of its frames of the
    /// read in one write, whatever order their destinations come in.
    void relayTargeted(const FrameView& frame, const RelayTargets& targets);

    /// USER_STATUS_UPDATE: apply it, then notify everyone (protocol.md §4, §5).
    void statusUpdate(const FrameView& frame);

    /// ONLINE_USER_INFO: apply every entry as a status update from this peer, without
    /// notifications, except for users announced offline after a lost connection: their
    /// return is announced as a login (protocol.md §7), paced to what the other peers read.
    void onlineUserInfo(const FrameView& frame);

    /// USERS_STATUS_REQUEST: answer on the same connection (protocol.md §5).
    void statusRequest(const FrameView& frame);

    /// ROLE_SET: recorded (protocol.md §5, §8); logged when the role changes.
    void roleSet(const FrameView& frame);

    /// Removes the logins `from_` (a lost connection) had for `userIds`. With `loss`, holds
    /// the offline announcement of each user who thereby lost their last PC login in that
    /// loss of LostUsers (0: none yet, started by the first such user).
    void connectionLost(const std::uint32_t* userIds, std::size_t count, std::uint64_t* loss);

    /// Users who lost their last PC login in connectionLost(), or were announced offline in
    /// lossExpired().
    std::uint64_t lostUsers() const { return lostUsers_; }

    /// The grace of `loss` is over: announces offline each of its users [begin, end) still
    /// held and online nowhere, as if the user had sent OFFLINE for its last PC login
    /// (protocol.md §7); without `announce` (the grace is "never" now), forgets them quietly.
    void lossExpired(LostUsers::Loss& loss, std::size_t begin, std::size_t end, bool announce);

    /// Held users found back: in lossExpired(), those back online without a login seen.
    std::uint64_t cameBack() const { return cameBack_; }

    /// Held users lossExpired() forgot unannounced.
    std::uint64_t released() const { return released_; }

    /// Users an ONLINE_USER_INFO brought back after they were announced offline.
    std::uint64_t healed() const { return healed_; }

    /// Notifications handed over so far.
    std::uint64_t notifications() const { return notifications_; }

    /// Hands the batch being built to its destinations.
    void flush();

    /// Counts a received frame, whose fate is yet to come.
    void received(const FrameView& frame);

    /// What became of the frame received last.
    const PduFate& fate() const { return fate_; }

    /// Adds what this step counted to the router's totals.
    void count();

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

    void startGenerated(Destination destination);

    /// Hands the generated batch over, releasing the presence lock for a moment, and goes on
    /// building the same kind of batch; with `paced`, first lets the other peers read most of
    /// what they were handed (a burst of announcements).
    void handOverAndResume(bool paced = false);

    /// Called with the presence lock held exclusively, before `change` users may come
    /// (positive) or go (negative). When that would resize the presence table, makes the new
    /// table's empty slots with the lock released: the costly part of a resize (48 MB to
    /// clear for a million users) then stalls nobody, and the resize itself only moves users.
    void prepareResize(std::ptrdiff_t change);

    void flushIfLarge();

    void dropBody(const FrameView& frame);

    void dropOversized(const FrameView& frame, std::size_t entries);


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

} // namespace ttroute
