#pragma once

#include "admin/RouteAdmin.h"
#include "admin/RouteMetrics.h"
#include "connections/RouteService.h"

#include "tthost/ServerPlugin.h"

#include <memory>

namespace ttroute
{

/// The TeamTalk route server as a tthost plugin: reads its settings, owns the shared
/// RouteService, and hands the host a factory of route connections.
class RoutePlugin : public tthost::ServerPlugin
{
public:
    /// "ttroute".
    std::string name() const override;
    /// The project version.
    std::string version() const override;
    /// Reads route.* (see RouteSettings) and creates the shared RouteService.
    void start(const Poco::Util::AbstractConfiguration& config, Poco::Logger& logger) override;
    /// Creates a RouteConnection per accepted socket.
    Poco::Net::TCPServerConnectionFactory::Ptr connectionFactory() override;
    /// Refuses connections route.allow does not admit.
    Poco::Net::TCPServerConnectionFilter::Ptr connectionFilter() override;
    /// route.max_connections.
    std::size_t maxConnections() const override;
    /// Reads route.* as start() does.
    void validate(const Poco::Util::AbstractConfiguration& config) const override;
    /// Applies route.*; every key applies live, so nothing is returned.
    std::vector<std::string> reconfigure(const Poco::Util::AbstractConfiguration& config) override;
    /// The ttroute_* metrics (see RouteMetrics).
    void writeMetrics(tthost::MetricsWriter& metrics) override;
    /// The status page and the route server's admin requests (see RouteAdmin).
    bool handleAdmin(const tthost::AdminRequest& request, tthost::AdminResponse& response) override;
    /// Ends every connection after draining (see RouteService::stop).
    void stop(Poco::Timespan drainTimeout) override;

private:
    std::shared_ptr<RouteService> service_;
    std::unique_ptr<RouteMetrics> metrics_;
    std::unique_ptr<RouteAdmin> admin_;
    Poco::Net::TCPServerConnectionFactory::Ptr factory_;
    Poco::Net::TCPServerConnectionFilter::Ptr filter_;
};

} // namespace ttroute
