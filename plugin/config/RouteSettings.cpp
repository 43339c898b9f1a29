#include "RouteSettings.h"

#include "tthost/ConfigError.h"
#include "tthost/ConfigReader.h"

#include <Poco/String.h>

namespace ttroute
{
namespace
{

constexpr std::size_t kOutboxHeadroom = 1024 * 1024;

std::chrono::milliseconds toMillis(Poco::Timespan span)
{
    return std::chrono::milliseconds(span.totalMilliseconds());
}

Poco::Timespan fromMillis(std::chrono::milliseconds millis)
{
    return Poco::Timespan(millis.count() * 1000);
}

} // namespace

RouteSettings RouteSettings::read(const Poco::Util::AbstractConfiguration& config)
{
    const RouteSettings defaults;
    tthost::ConfigReader reader(config, "");
    RouteSettings settings;
    settings.heartbeatInterval = toMillis(reader.getDuration(
        "heartbeat_interval", fromMillis(defaults.heartbeatInterval), Poco::Timespan(0, 50000), Poco::Timespan(3600, 0)));
    settings.idleTimeout = toMillis(reader.getDuration(
        "idle_timeout", fromMillis(defaults.idleTimeout), Poco::Timespan(0, 100000), Poco::Timespan(24 * 3600, 0)));
    settings.maxPduBytes = reader.getByteSize("max_pdu_bytes", defaults.maxPduBytes, 1024, 256u * 1024 * 1024);
    // The cap bounds how long one query holds presence updates back.
    settings.maxStatusQueryIds = static_cast<std::size_t>(
        reader.getInteger("max_status_query_ids", static_cast<std::int64_t>(defaults.maxStatusQueryIds), 1, 100000));
    settings.maxOutboxBytes = reader.getByteSize("max_outbox_bytes", defaults.maxOutboxBytes, 1024 * 1024, 64ull * 1024 * 1024 * 1024);
    // One delivery can bring a whole frame plus a read's worth of others; a limit below that
    // would drop msg servers that read perfectly well.
    if (settings.maxOutboxBytes < settings.maxPduBytes + kOutboxHeadroom)
        throw tthost::ConfigError(reader.fullKey("max_outbox_bytes"),
                                  std::to_string(settings.maxOutboxBytes) + " is less than max_pdu_bytes + 1M (" +
                                      std::to_string(settings.maxPduBytes + kOutboxHeadroom) + ")");
    settings.maxConnections = static_cast<std::size_t>(
        reader.getInteger("max_connections", static_cast<std::int64_t>(defaults.maxConnections), 1, 1000000));
    settings.maxOnlineUserInfoEntries = static_cast<std::size_t>(reader.getInteger(
        "max_online_user_info_entries", static_cast<std::int64_t>(defaults.maxOnlineUserInfoEntries), 1, 100000000));
    settings.relayMode = reader.getChoice("relay.mode", "broadcast", {"broadcast", "targeted"}) == "targeted" ? RelayMode::Targeted
                                                                                                           : RelayMode::Broadcast;
    const Poco::Timespan grace = fromMillis(*defaults.peerLossGrace);
    if (Poco::icompare(reader.getString("peer_loss_grace", ""), "never") == 0)
        settings.peerLossGrace.reset();
    else
        settings.peerLossGrace = toMillis(reader.getDuration("peer_loss_grace", grace, Poco::Timespan(0), Poco::Timespan(24 * 3600, 0)));
    settings.announceViaMaster = reader.getBool("announce_via_master", defaults.announceViaMaster);
    try
    {
        settings.allow = AllowList::parse(reader.getList("allow", {}));
    }
    catch (const std::invalid_argument& error)
    {
        throw tthost::ConfigError(reader.fullKey("allow"), error.what());
    }
    reader.rejectUnknownKeys();
    return settings;
}

} // namespace ttroute
