#pragma once

// GET /metrics of a running tthost, read as the e2e_admin suite needs it: checked against the
// format on every scrape, waited for until it settles or shows a value, compared before and
// after what a test did.

#include "MetricsExposition.h"

#include <cstdint>
#include <functional>
#include <string>

/// GET /metrics from the admin port `admin`: 200, the 0.0.4 content type, and a page without a
/// format problem (the test fails otherwise); the page, parsed.
Exposition scrape(std::uint16_t admin);

/// /metrics once two scrapes 50 ms apart agree: the counting that follows an answer (a few
/// instructions after the frame went out) has caught up. Fails after 10 s of change.
Exposition settledMetrics(std::uint16_t admin);

/// Scrapes until `reached` holds (at most 10 s; `what` names it in the failure), then returns
/// the settled page.
Exposition metricsWhen(std::uint16_t admin, const std::function<bool(const Exposition&)>& reached, const std::string& what);

/// Scrapes until sample `name`{`labels`} has grown by `by` since `before`, then returns the
/// settled page.
Exposition metricsAfterDelta(std::uint16_t admin, const Exposition& before, const std::string& name, const Labels& labels, double by);

/// Asserts sample `name`{`labels`} grew by exactly `expected` from `before` to `after`.
void assertDelta(const Exposition& before, const Exposition& after, const std::string& name, const Labels& labels, double expected);

/// Asserts sample `name`{`labels`} reads `expected` on `page`.
void assertValue(const Exposition& page, const std::string& name, const Labels& labels, double expected);
