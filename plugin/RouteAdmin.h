#pragma once

#include "RouteService.h"

#include "tthost/AdminRequest.h"
#include "tthost/MetricsWriter.h"

namespace ttroute
{

/// What operators see of the route server: its metrics, its connected msg servers
/// (GET /peers) and users' presence (GET /presence?user=ID). Reads counters and atomics,
/// and presence under the shared lock only, so it never holds routing up.
class RouteAdmin
{
public:
    /// Answers about `service`.
    explicit RouteAdmin(RouteService& service);

    /// Appends every ttroute_* metric.
    void writeMetrics(tthost::MetricsWriter& metrics);

    /// Answers its requests (see the class comment); false for other paths.
    bool handle(const tthost::AdminRequest& request, tthost::AdminResponse& response);

private:
    void peers(tthost::AdminResponse& response);
    void presence(const tthost::AdminRequest& request, tthost::AdminResponse& response);

    RouteService& service_;
};

} // namespace ttroute
