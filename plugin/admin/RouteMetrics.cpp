#include "RouteMetrics.h"

#include "wire/ProtocolIds.h"

#include <iterator>
#include <utility>

namespace ttroute
{
namespace
{

using tthost::MetricsWriter;

/// The client types of protocol.md §2: the first slots of clientTypeSlot().
constexpr std::size_t kKnownClientTypes = kClientTypeSlots - 1;

double load(const std::atomic<std::uint64_t>& counter)
{
    return static_cast<double>(counter.load(std::memory_order_relaxed));
}

void commandFamily(MetricsWriter& metrics, const std::string& name, const std::string& help,
                   const std::atomic<std::uint64_t> (&slots)[kCommandSlots])
{
    metrics.family(name, MetricsWriter::Type::Counter, help);
    for (std::size_t slot = 0; slot < kCommandSlots; ++slot)
        metrics.sample(load(slots[slot]), {{"command", commandLabel(slot)}});
}

} // namespace

RouteMetrics::RouteMetrics(RouteService& service)
    : service_(service)
{
}

void RouteMetrics::write(MetricsWriter& metrics)
{
    RouteCounters& c = service_.counters();
    const auto connections = service_.connections();
    metrics.family("ttroute_connected_msg_servers", MetricsWriter::Type::Gauge, "Msg-server connections being served.");
    metrics.sample(static_cast<double>(connections.size()));

    // One look at presence, so the figures agree with each other.
    const PresenceTotals presence = service_.router().readPresence([](const PresenceRegistry& registry) { return registry.totals(); });
    metrics.family("ttroute_online_users", MetricsWriter::Type::Gauge, "Users with at least one login on some msg server.");
    metrics.sample(static_cast<double>(presence.users));
    metrics.family("ttroute_online_logins", MetricsWriter::Type::Gauge, "Logins, by client type.");
    for (std::size_t slot = 0; slot < kKnownClientTypes; ++slot)
        metrics.sample(static_cast<double>(presence.logins[slot]), {{"client_type", clientTypeLabel(slot)}});

    commandFamily(metrics, "ttroute_received_pdus_total", "Whole PDUs received from msg servers, by command.", c.received.pdus);
    commandFamily(metrics, "ttroute_received_bytes_total", "Bytes of whole PDUs received from msg servers, by command.", c.received.bytes);
    commandFamily(metrics, "ttroute_sent_pdus_total", "PDUs handed to msg servers' outboxes, once per destination, by command.", c.sent.pdus);
    commandFamily(metrics, "ttroute_sent_bytes_total", "Bytes of PDUs handed to msg servers' outboxes, once per destination, by command.",
                  c.sent.bytes);

    const std::pair<const char*, const std::atomic<std::uint64_t>*> totals[] = {
        {"ttroute_relayed_pdus_total", &c.framesRelayed},
        {"ttroute_relay_unaddressed_total", &c.relayUnaddressed},
        {"ttroute_status_queries_total", &c.statusQueries},
        {"ttroute_status_query_ids_total", &c.idsQueried},
        {"ttroute_notifications_total", &c.notificationsSent},
        {"ttroute_bodies_dropped_total", &c.bodiesDropped},
        {"ttroute_frames_ignored_total", &c.framesIgnored},
        {"ttroute_connections_refused_total", &c.refused},
        {"ttroute_peer_loss_healed_users_total", &c.usersHealed},
        {"ttroute_status_updates_unannounced_total", &c.statusUpdatesUnannounced},
    };
    const char* helps[] = {
        "Relayed PDUs, counted once per PDU received.",
        "One-to-one PDUs dropped in targeted relay mode because no other msg server hosts their users.",
        "USERS_STATUS_REQUESTs answered.",
        "User ids answered in status queries.",
        "Status notifications generated (LOGIN_STATUS_NOTIFY, BUDDY_LIST_STATUS_NOTIFY), counted once per PDU.",
        "PDUs dropped because their body did not parse or broke a limit.",
        "PDUs of commands the route server does not handle.",
        "Connections refused at accept (route.allow, route.max_connections).",
        "Users announced offline after a lost connection, then listed by an ONLINE_USER_INFO: announced online again.",
        "Status updates applied but not announced: their msg server calls another route server its master (route.announce_via_master).",
    };
    for (std::size_t i = 0; i < std::size(totals); ++i)
    {
        metrics.family(totals[i].first, MetricsWriter::Type::Counter, helps[i]);
        metrics.sample(load(*totals[i].second));
    }

    metrics.family("ttroute_frames_rejected_total", MetricsWriter::Type::Counter,
                   "Headers that broke the framing limits (each closed its connection), by reason.");
    metrics.sample(load(c.framesRejected[static_cast<std::size_t>(FrameRejection::BelowHeader)]), {{"reason", "length_below_header"}});
    metrics.sample(load(c.framesRejected[static_cast<std::size_t>(FrameRejection::AboveLimit)]), {{"reason", "length_above_max"}});

    metrics.family("ttroute_disconnects_total", MetricsWriter::Type::Counter, "Msg-server connections ended, by reason.");
    for (std::size_t reason = 0; reason < kDisconnectReasonCount; ++reason)
        metrics.sample(load(c.disconnects[reason]), {{"reason", toString(static_cast<DisconnectReason>(reason))}});

    metrics.family("ttroute_peer_loss_users_total", MetricsWriter::Type::Counter,
                   "Users who lost their last PC login with a connection: held for route.peer_loss_grace, and what became of them.");
    constexpr std::pair<LossOutcome, const char*> kLossOutcomes[] = {{LossOutcome::Held, "held"},
                                                                     {LossOutcome::Announced, "announced"},
                                                                     {LossOutcome::CameBack, "came_back"},
                                                                     {LossOutcome::Forgotten, "forgotten"},
                                                                     {LossOutcome::NotHeld, "not_held"}};
    for (const auto& [outcome, label] : kLossOutcomes)
        metrics.sample(load(c.lostUsers[static_cast<std::size_t>(outcome)]), {{"outcome", label}});
    const auto [held, remembered] = service_.router().lostUserCounts();
    metrics.family("ttroute_peer_loss_pending_users", MetricsWriter::Type::Gauge,
                   "Users whose offline announcement waits for route.peer_loss_grace.");
    metrics.sample(static_cast<double>(held));
    metrics.family("ttroute_peer_loss_remembered_users", MetricsWriter::Type::Gauge,
                   "Users announced offline after a lost connection, remembered to announce their return.");
    metrics.sample(static_cast<double>(remembered));

    metrics.family("ttroute_outbox_queued_bytes", MetricsWriter::Type::Gauge, "Bytes waiting in all outboxes for msg servers to read them.");
    metrics.sample(static_cast<double>(service_.outboxGauge().total()));
    metrics.family("ttroute_outbox_queued_bytes_high_water", MetricsWriter::Type::Gauge,
                   "The most bytes that waited in all outboxes at once since the start.");
    metrics.sample(static_cast<double>(service_.outboxGauge().highWater()));
}

} // namespace ttroute
