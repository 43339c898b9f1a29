#include "RoutePlugin.h"

#include "connections/RouteConnectionFactory.h"
#include "connections/RouteConnectionFilter.h"

#include <Poco/ClassLibrary.h>

#include <sys/resource.h>

namespace ttroute
{
namespace
{

/// Warns when this process may not open the descriptors route.max_connections needs: a
/// socket and a wake-up eventfd per connection, and a few of the process's own.
void warnIfDescriptorsShort(const RouteSettings& settings, Poco::Logger& logger)
{
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return;
    const std::uint64_t needed = 2 * static_cast<std::uint64_t>(settings.maxConnections) + 64;
    if (needed > limit.rlim_cur)
        logger.warning("route.max_connections (" + std::to_string(settings.maxConnections) + ") needs about " + std::to_string(needed) +
                       " open files (a socket and an eventfd per connection), more than this process may open (" +
                       std::to_string(limit.rlim_cur) + "): connections past about " + std::to_string((limit.rlim_cur - 64) / 2) +
                       " will fail; raise the open-file limit (LimitNOFILE, ulimit -n)");
}

} // namespace

std::string RoutePlugin::name() const
{
    return "ttroute";
}

std::string RoutePlugin::version() const
{
    return TTROUTE_VERSION;
}

void RoutePlugin::start(const Poco::Util::AbstractConfiguration& config, Poco::Logger& logger)
{
    const RouteSettings settings = RouteSettings::read(config);
    service_ = std::make_shared<RouteService>(settings, logger);
    metrics_ = std::make_unique<RouteMetrics>(*service_);
    admin_ = std::make_unique<RouteAdmin>(*service_, version());
    factory_ = Poco::makeShared<RouteConnectionFactory>(service_);
    filter_ = Poco::makeAuto<RouteConnectionFilter>(service_);
    logger.information("ttroute " + version() + ": heartbeat every " + std::to_string(settings.heartbeatInterval.count()) +
                       " ms, idle timeout " + std::to_string(settings.idleTimeout.count()) + " ms, max_pdu_bytes " +
                       std::to_string(settings.maxPduBytes) + ", max_status_query_ids " + std::to_string(settings.maxStatusQueryIds) +
                       ", max_outbox_bytes " + std::to_string(settings.maxOutboxBytes) + ", relay mode " + (settings.relayMode == RelayMode::Targeted ? "targeted" : "broadcast") + ", peer loss grace " +
                       (settings.peerLossGrace ? std::to_string(settings.peerLossGrace->count()) + " ms" : std::string("never")) +
                       (settings.announceViaMaster ? ", announcing via master only" : "") + ", allowing " + settings.allow.toString());
    warnIfDescriptorsShort(settings, logger);
}

Poco::Net::TCPServerConnectionFactory::Ptr RoutePlugin::connectionFactory()
{
    return factory_;
}

Poco::Net::TCPServerConnectionFilter::Ptr RoutePlugin::connectionFilter()
{
    return filter_;
}

std::size_t RoutePlugin::maxConnections() const
{
    return service_->settings().maxConnections();
}

void RoutePlugin::validate(const Poco::Util::AbstractConfiguration& config) const
{
    RouteSettings::read(config);
}

std::vector<std::string> RoutePlugin::reconfigure(const Poco::Util::AbstractConfiguration& config)
{
    // Every key of the route plugin applies live.
    const RouteSettings settings = RouteSettings::read(config);
    service_->reconfigure(settings);
    warnIfDescriptorsShort(settings, service_->logger());
    return {};
}

void RoutePlugin::writeMetrics(tthost::MetricsWriter& metrics)
{
    metrics_->write(metrics);
}

bool RoutePlugin::handleAdmin(const tthost::AdminRequest& request, tthost::AdminResponse& response)
{
    return admin_->handle(request, response);
}

void RoutePlugin::stop(Poco::Timespan drainTimeout)
{
    if (service_)
        service_->stop(drainTimeout);
}

} // namespace ttroute

using ttroute::RoutePlugin;

POCO_BEGIN_MANIFEST(tthost::ServerPlugin)
POCO_EXPORT_CLASS(RoutePlugin)
POCO_END_MANIFEST

TTHOST_EXPORT_PLUGIN_API()
