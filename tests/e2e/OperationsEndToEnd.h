#pragma once

// What the e2e_operations suite's tests share: one tthost per test, configured as an
// administrator would leave it, and fake msg servers connected to it (tttest::HostFixture).

#include "HostFixture.h"
#include "HostProperties.h"

#include <string>

/// The fixture base of the e2e_operations suite's test classes.
class OperationsEndToEnd : public tttest::HostFixture
{
protected:
    /// Every test's starting point: the route plugin on an ephemeral loopback port, no admin
    /// endpoint, a drain timeout of 2 s.
    static tttest::HostProperties baseProperties();

    /// baseProperties() with a HEARTBEAT after `interval` without output ("10s", "200ms").
    static tttest::HostProperties heartbeatsEvery(const std::string& interval);
};
