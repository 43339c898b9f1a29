#pragma once

// What the e2e_status_page suite's tests share: the configuration of the tthost under test,
// and the admin endpoint's JSON read where it is served (the page's checks say which of its
// figures need an endpoint that is missing, rather than failing on the first).

#include "HostProperties.h"

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <string>

/// The configuration of the host under test: route and admin endpoint on ephemeral loopback
/// ports, targeted relay (not the default, so the page must really show it), a recognisable
/// key (route.max_status_query_ids = 777), no heartbeats or idle timeouts to disturb the counts.
tttest::HostProperties config();

/// GET `path` as a JSON object; null when the endpoint does not serve it (any status but 200)
/// or it is not one.
Poco::JSON::Object::Ptr jsonIfServed(std::uint16_t port, const std::string& path);
