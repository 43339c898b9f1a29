#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <unordered_map>
#include <vector>

namespace ttroute
{

/// What the router remembers of the users it lost with connections (protocol.md §7): those
/// whose offline announcement waits for the grace period, and those it announced offline,
/// so that their return through ONLINE_USER_INFO can be announced as well.
///
/// Losses are kept in the order they happened. A loss holds its users until the router
/// expires it, announcing those still online nowhere; from then on it remembers the users
/// it announced until each logs in again with a PC client, or until more than
/// `maxRemembered` users are remembered, when the oldest losses are forgotten first. Not
/// thread-safe: the Router guards it with the presence lock.
class LostUsers
{
public:
    using Clock = std::chrono::steady_clock;

    /// Most users remembered as announced offline by default. Each costs about 36 bytes (a
    /// hash-map node and its bucket, and an entry in its loss's list; LostUsersTest measures
    /// it): under 50 MB in all.
    static constexpr std::size_t kMaxRemembered = 1000000;

    /// Remembers at most `maxRemembered` users announced offline.
    explicit LostUsers(std::size_t maxRemembered = kMaxRemembered)
        : maxRemembered_(maxRemembered)
    {
    }

    /// The users one lost connection held or announced.
    struct Loss
    {
        std::uint64_t id = 0;             ///< losses are numbered in the order they happened
        std::string peer;                 ///< the lost connection's description, for logs
        Clock::time_point lostAt;         ///< the grace counts from here
        std::vector<std::uint32_t> users; ///< before expiry every user held, after it those announced
        bool complete = false;            ///< every user the connection took offline is held
        bool expired = false;             ///< the grace is over
        std::size_t cameBack = 0;         ///< held users who logged in again before the expiry
        std::size_t remembered = 0;       ///< announced users not yet back or forgotten
        std::size_t announced = 0;        ///< during the expiry: `users` begins with this many announced
    };

    /// What a user's return found.
    enum class Return
    {
        Unknown,      ///< neither held nor remembered
        WasHeld,      ///< its offline announcement was waiting: it will not go out now
        WasAnnounced, ///< it was announced offline: its return needs announcing too
    };

    /// Holds `user`'s offline announcement for the lost connection described as `peer`. The
    /// first call for a connection passes 0 as `loss` and starts its loss, lost now, whose
    /// number it returns; later calls pass that number. complete() ends the list.
    std::uint64_t hold(std::uint64_t loss, const std::string& peer, std::uint32_t user);

    /// Says every user of `loss` is held: the loss may expire now.
    void complete(std::uint64_t loss);

    /// Makes room for `users` more users at once, so holding them never rehashes the map
    /// (which moves every entry) while the router holds its lock for one slice.
    void reserve(std::size_t users) { byUser_.reserve(byUser_.size() + users); }

    /// A user logged in again with a PC client: forgets the user and says what it was.
    Return userBack(std::uint32_t user);

    /// True when no user is held or remembered: userBack() would find nobody.
    bool empty() const { return byUser_.empty(); }

    /// The oldest loss still holding users, once it is complete; null when there is none.
    /// Losses expire in the order they happened.
    Loss* nextToExpire();

    /// The loss numbered `id`; null once forgotten.
    Loss* find(std::uint64_t id);

    /// True when `user` of `loss` (being expired) is still held: it did not come back.
    bool isHeld(std::uint32_t user, const Loss& loss) const;

    /// Marks a held `user` of `loss` as announced offline now: it is remembered.
    void announced(std::uint32_t user, Loss& loss);

    /// Forgets a held `user` of `loss` without announcing it (it came back, or announcing was turned off).
    void released(std::uint32_t user, const Loss& loss);

    /// Ends the expiry of `loss` (after announced() or released() for each held user), and
    /// forgets the oldest losses while more than the most allowed users are remembered.
    void expired(Loss& loss);

    /// Users whose offline announcement is held now.
    std::size_t heldUsers() const { return held_; }

    /// Users announced offline and remembered for their return.
    std::size_t rememberedUsers() const { return remembered_; }

private:
    /// The top bit of a user's entry: the user was announced (remembered), not held.
    static constexpr std::uint64_t kAnnounced = std::uint64_t(1) << 63;

    void forgetExpiredFront();

    std::size_t maxRemembered_;
    std::unordered_map<std::uint32_t, std::uint64_t> byUser_; ///< user → loss id, with kAnnounced once announced
    std::deque<Loss> losses_;                                 ///< in order; ids consecutive
    std::uint64_t nextId_ = 1;
    std::size_t held_ = 0;
    std::size_t remembered_ = 0;
};

} // namespace ttroute
