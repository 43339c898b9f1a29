#pragma once

#include "connections/RouteService.h"

#include "tthost/MetricsWriter.h"

namespace ttroute
{

/// The route server's Prometheus metrics (GET /metrics): counters and gauges read from
/// atomics, and presence under its shared lock only, so a scrape never holds routing up.
class RouteMetrics
{
public:
    /// Reports about `service`.
    explicit RouteMetrics(RouteService& service);

    /// Appends every ttroute_* metric.
    void write(tthost::MetricsWriter& metrics);

private:
    RouteService& service_;
};

} // namespace ttroute
