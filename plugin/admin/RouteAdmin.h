#pragma once

#include "admin/RateHistory.h"
#include "connections/DeadlineWorker.h"
#include "connections/RouteService.h"

#include "tthost/AdminRequest.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ttroute
{

/// What operators see of the route server through the admin endpoint: the status page (GET /),
/// its state (/status), the connected msg servers (/peers), users' presence (/presence), the
/// traffic of the last minutes (/history), the connections that ended (/disconnects), live
/// traces of a few users (/trace), and the graceful close of one connection (POST /drain).
/// Reads counters, atomics and presence under the shared lock only, so it never holds
/// routing up; samples the traffic once a second on a thread of its own.
class RouteAdmin
{
public:
    /// Answers about `service`, of route plugin `version`.
    RouteAdmin(RouteService& service, std::string version);

    /// Answers the requests above; false for other paths.
    bool handle(const tthost::AdminRequest& request, tthost::AdminResponse& response);

private:
    void page(const tthost::AdminRequest& request, tthost::AdminResponse& response);
    void status(const tthost::AdminRequest& request, tthost::AdminResponse& response);
    void peers(const tthost::AdminRequest& request, tthost::AdminResponse& response);
    void presence(const tthost::AdminRequest& request, tthost::AdminResponse& response);
    void history(const tthost::AdminRequest& request, tthost::AdminResponse& response);
    void disconnects(const tthost::AdminRequest& request, tthost::AdminResponse& response);
    void trace(const tthost::AdminRequest& request, tthost::AdminResponse& response);
    void drain(const tthost::AdminRequest& request, tthost::AdminResponse& response);

    /// The values of query parameter `key` as ids (at most `max`; at least one); false after
    /// making `response` a 400 that says what is wrong.
    static bool readIds(const tthost::AdminRequest& request, const std::string& key, std::size_t max, std::vector<std::uint32_t>& ids,
                        tthost::AdminResponse& response);

    RouteService& service_;
    const std::string version_;
    RateHistory history_;
    DeadlineWorker sampler_; ///< feeds history_ every second; last: stops first
};

} // namespace ttroute
