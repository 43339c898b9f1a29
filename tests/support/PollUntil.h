#pragma once

// Waiting in a test for a condition that only polling can see (a counter of the server's, a
// list an endpoint shows): asked again every 20 ms until it holds, the test failing with what
// was waited for when it does not in time.

#include <chrono>
#include <functional>
#include <string>

namespace tttest
{

/// Polls `condition` every 20 ms until it holds; fails the running test after `timeout`,
/// saying what `describe` says then (called only on failure, so it may show the latest state).
void pollUntil(const std::function<std::string()>& describe, const std::function<bool()>& condition,
               std::chrono::milliseconds timeout = std::chrono::seconds(30));

/// pollUntil() with a fixed description of what is waited for.
void pollUntil(const std::string& what, const std::function<bool()>& condition, std::chrono::milliseconds timeout = std::chrono::seconds(30));

} // namespace tttest
