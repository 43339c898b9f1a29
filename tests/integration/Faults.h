#pragma once

// The fixture of the integration_faults suite's topic files (Fault*Test.cpp): the plugin
// served as ServedPluginFixture serves it, the check every fault test ends with, that the
// peers the fault spared are fully in business, and counting what the log says.

#include "FakeMsgServer.h"
#include "ServedPluginFixture.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

/// Fixture base of the fault tests: every one hits one limit or fault with one peer and then
/// checks that this peer alone was affected.
class Faults : public tttest::ServedPluginFixture
{
public:
    /// Serves the plugin of this build (TTROUTE_PLUGIN_PATH).
    Faults();

protected:
    /// Each of `peers` in turn relays a MSG_DATA that every other one receives exactly, and
    /// gets its status query answered (sync() is one): the connections are fully in business.
    void assertSurvivorsWork(const std::vector<tttest::FakeMsgServer*>& peers, std::uint32_t round);

    /// How many times `needle` stands in `log` (a route server's log), without overlaps.
    static std::size_t occurrences(const std::string& log, const std::string& needle);
};
