#include "RoutePlugin.h"

#include "RouteConnectionFactory.h"
#include "RouteConnectionFilter.h"

#include <Poco/ClassLibrary.h>

namespace ttroute
{

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
    admin_ = std::make_unique<RouteAdmin>(*service_);
    factory_ = Poco::makeShared<RouteConnectionFactory>(service_);
    filter_ = Poco::makeAuto<RouteConnectionFilter>(service_);
    logger.information("ttroute " + version() + ": heartbeat every " + std::to_string(settings.heartbeatInterval.count()) +
                       " ms, idle timeout " + std::to_string(settings.idleTimeout.count()) + " ms, max_pdu_bytes " +
                       std::to_string(settings.maxPduBytes) + ", max_status_query_ids " + std::to_string(settings.maxStatusQueryIds) +
                       ", max_outbox_bytes " + std::to_string(settings.maxOutboxBytes) + ", relay mode " + (settings.relayMode == RelayMode::Targeted ? "targeted" : "broadcast") + ", peer loss grace " +
                       (settings.peerLossGrace ? std::to_string(settings.peerLossGrace->count()) + " ms" : std::string("never")) +
                       (settings.announceViaMaster ? ", announcing via master only" : "") + ", allowing " + settings.allow.toString());
}

Poco::Net::TCPServerConnectionFactory::Ptr RoutePlugin::connectionFactory()
{
    return factory_;
}

Poco::Net::TCPServerConnectionFilter::Ptr RoutePlugin::connectionFilter()
{
    return filter_;
}

void RoutePlugin::validate(const Poco::Util::AbstractConfiguration& config) const
{
    RouteSettings::read(config);
}

std::vector<std::string> RoutePlugin::reconfigure(const Poco::Util::AbstractConfiguration& config)
{
    // Every key of the route plugin applies live.
    service_->reconfigure(RouteSettings::read(config));
    return {};
}

void RoutePlugin::writeMetrics(tthost::MetricsWriter& metrics)
{
    admin_->writeMetrics(metrics);
}

bool RoutePlugin::handleAdminGet(const tthost::AdminRequest& request, tthost::AdminResponse& response)
{
    return admin_->handleGet(request, response);
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
