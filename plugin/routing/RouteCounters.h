#pragma once

#include "routing/DisconnectReason.h"
#include "wire/ProtocolIds.h"

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace ttroute
{

/// PDUs and bytes per command (see commandSlot()), shared by all connections.
struct CommandCounters
{
    std::atomic<std::uint64_t> pdus[kCommandSlots]{};  ///< PDUs, by commandSlot()
    std::atomic<std::uint64_t> bytes[kCommandSlots]{}; ///< their bytes, headers included

    /// Adds `count` PDUs of `bytes` bytes in total for `commandId`.
    void add(std::uint16_t commandId, std::uint64_t count, std::uint64_t bytes);
};

/// PDUs and bytes per command counted by one thread, to be added to CommandCounters at once.
struct CommandTally
{
    std::uint64_t pdus[kCommandSlots]{};  ///< PDUs, by commandSlot()
    std::uint64_t bytes[kCommandSlots]{}; ///< their bytes, headers included

    /// Counts a PDU of `length` bytes for `commandId`, `times` over (once per destination).
    void add(std::uint16_t commandId, std::uint64_t length, std::uint64_t times = 1)
    {
        const std::size_t slot = commandSlot(commandId);
        pdus[slot] += times;
        bytes[slot] += length * times;
    }

    /// Adds this tally `times` over to `total`.
    void addTo(CommandTally& total, std::uint64_t times) const;

    /// Adds this tally to `counters` (only the slots that moved) and clears it.
    void flushInto(CommandCounters& counters);
};

/// Why a header was refused (protocol.md §1).
enum class FrameRejection
{
    BelowHeader, ///< length below 16
    AboveLimit,  ///< length above max_pdu_bytes
};

/// Number of FrameRejection values.
constexpr std::size_t kFrameRejectionCount = 2;

/// What became of a user who lost their last PC login with a connection (protocol.md §7).
enum class LossOutcome
{
    Held,        ///< its offline announcement waited for route.peer_loss_grace
    Announced,   ///< announced offline when the grace was over
    CameBack,    ///< logged in again during the grace: never announced
    Forgotten,   ///< held when the grace became "never": never announced
    NotHeld,     ///< lost while the grace was "never", or from a msg server whose master is elsewhere
};

/// Number of LossOutcome values.
constexpr std::size_t kLossOutcomeCount = 5;

/// Totals the plugin keeps for operators (GET /metrics). Relaxed atomics: each routing step
/// adds its counts once per read, so counting costs no lock on the hot path.
struct RouteCounters
{
    CommandCounters received;                        ///< whole PDUs decoded, by command
    CommandCounters sent;                            ///< PDUs handed to outboxes, once per destination
    std::atomic<std::uint64_t> framesRelayed{0};     ///< relayed frames, counted once per source frame
    std::atomic<std::uint64_t> relayUnaddressed{0};  ///< targeted frames no other peer hosts a user of: not sent
    std::atomic<std::uint64_t> statusQueries{0};     ///< USERS_STATUS_REQUESTs answered
    std::atomic<std::uint64_t> idsQueried{0};        ///< user ids answered in them
    std::atomic<std::uint64_t> notificationsSent{0}; ///< status notifications built, counted once per frame
    std::atomic<std::uint64_t> bodiesDropped{0};     ///< frames dropped because their body did not parse or was too large
    std::atomic<std::uint64_t> framesIgnored{0};     ///< frames of commands the route server does not handle
    std::atomic<std::uint64_t> refused{0};           ///< connections refused at accept (route.allow, max_connections)
    std::atomic<std::uint64_t> framesRejected[kFrameRejectionCount]{}; ///< headers that broke the framing limits, by FrameRejection
    std::atomic<std::uint64_t> disconnects[kDisconnectReasonCount]{};  ///< connections ended, by DisconnectReason
    std::atomic<std::uint64_t> lostUsers[kLossOutcomeCount]{};         ///< users lost with connections, by LossOutcome
    std::atomic<std::uint64_t> usersHealed{0};              ///< users announced offline and back through ONLINE_USER_INFO
    std::atomic<std::uint64_t> statusUpdatesUnannounced{0}; ///< updates left to the sender's master route server

    /// Adds `count` to `counter` without ordering.
    static void add(std::atomic<std::uint64_t>& counter, std::uint64_t count)
    {
        if (count != 0)
            counter.fetch_add(count, std::memory_order_relaxed);
    }
};

} // namespace ttroute
