#include "RouteSettings.h"

#include "tthost/ConfigReader.h"

namespace ttroute
{
namespace
{

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
    settings.maxStatusQueryIds = static_cast<std::size_t>(
        reader.getInteger("max_status_query_ids", static_cast<std::int64_t>(defaults.maxStatusQueryIds), 1, 1000000));
    settings.maxOutboxBytes = reader.getByteSize("max_outbox_bytes", defaults.maxOutboxBytes, 64 * 1024, 64ull * 1024 * 1024 * 1024);
    reader.getChoice("relay.mode", "broadcast", {"broadcast"});
    settings.relayMode = RelayMode::Broadcast;
    reader.rejectUnknownKeys();
    return settings;
}

LiveSettings::LiveSettings(const RouteSettings& settings)
    : heartbeatMs_(settings.heartbeatInterval.count())
    , idleTimeoutMs_(settings.idleTimeout.count())
    , maxPduBytes_(settings.maxPduBytes)
    , maxStatusQueryIds_(settings.maxStatusQueryIds)
    , maxOutboxBytes_(settings.maxOutboxBytes)
{
}

} // namespace ttroute
