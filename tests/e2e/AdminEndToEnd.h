#pragma once

// What the e2e_admin suite's tests share: tthost started with its admin endpoint, fake msg
// servers connected to it (tttest::HostFixture), and the JSON error answer every endpoint gives.

#include "AdminHttp.h"
#include "HostFixture.h"
#include "HostProperties.h"

#include <string>

/// The fixture base of the e2e_admin suite's test classes.
class AdminEndToEnd : public tttest::HostFixture
{
protected:
    /// The configuration every test starts from: the route plugin and the admin endpoint on
    /// ephemeral loopback ports, a drain timeout of 2 s, no heartbeats to blur the counts.
    static tttest::HostProperties adminProperties();

    /// Asserts `reply` (to `path`) is a JSON error answer: `status`, a JSON content type, and a
    /// non-empty "error" string.
    static void assertJsonError(const std::string& path, const tttest::HttpReply& reply, int status);
};
