#pragma once

#include "RouteService.h"

#include "tthost/ServerPlugin.h"

#include <memory>

namespace ttroute
{

/// The TeamTalk route server as a tthost plugin: reads its settings, owns the shared
/// RouteService, and hands the host a factory of route connections.
class RoutePlugin : public tthost::ServerPlugin
{
public:
    RoutePlugin();
    ~RoutePlugin() override;

    std::string name() const override;
    std::string version() const override;
    void start(const Poco::Util::AbstractConfiguration& config, Poco::Logger& logger) override;
    Poco::Net::TCPServerConnectionFactory::Ptr connectionFactory() override;
    Poco::Net::TCPServerConnectionFilter::Ptr connectionFilter() override;
    void validate(const Poco::Util::AbstractConfiguration& config) const override;
    std::vector<std::string> reconfigure(const Poco::Util::AbstractConfiguration& config) override;
    void stop(Poco::Timespan drainTimeout) override;

private:
    std::shared_ptr<RouteService> service_;
    Poco::Net::TCPServerConnectionFactory::Ptr factory_;
    Poco::Net::TCPServerConnectionFilter::Ptr filter_;
};

} // namespace ttroute
