#pragma once

// The fixture the integration suites share: the route plugin served in-process (ServedPlugin)
// for one test at a time, fake msg servers admitted to it, and the idle-timeout runs of
// Lifeline.h, each on a route server served afresh.

#include "FakeMsgServer.h"
#include "Lifeline.h"
#include "MsgServerChecks.h"
#include "ServedPlugin.h"

#include <cppunit/TestFixture.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace tttest
{

/// A CppUnit fixture whose tests serve the route plugin and talk to it over loopback; what a
/// test served is shut down after it.
class ServedPluginFixture : public CppUnit::TestFixture
{
public:
    /// Tests will serve the plugin library at `pluginPath` (a suite's TTROUTE_PLUGIN_PATH).
    explicit ServedPluginFixture(std::string pluginPath);

    /// Shuts down what the test served.
    void tearDown() override;

protected:
    /// Serves the plugin with `settings`, once whatever was served before is shut down. A lost
    /// connection's users are announced as it goes (route.peer_loss_grace = 0) unless
    /// `settings` say otherwise: the grace has suites of its own.
    void start(ServedPlugin::Settings settings = {});

    /// The plugin start() served; fails the test when there is none.
    ServedPlugin& served() const;

    /// The port the served plugin listens on, on 127.0.0.1.
    std::uint16_t port() const { return served().port(); }

    /// `N` fake msg servers connected and admitted (connectAdmitted()), one after the other,
    /// e.g. `auto [a, b, c] = admitMsgServers<3>();`.
    template <std::size_t N>
    std::array<std::unique_ptr<FakeMsgServer>, N> admitMsgServers() const
    {
        std::array<std::unique_ptr<FakeMsgServer>, N> fakes;
        for (auto& fake : fakes)
            fake = connectAdmitted(port());
        return fakes;
    }

    /// Runs `scenario` with `keepers` Lifelines (runWhileKeepersKeepTime()) until a run is
    /// conclusive, each run on the plugin started afresh with `settings` and route.idle_timeout
    /// `idleTimeout`; a failure shows the route server's log.
    void startWhileKeepersKeepTime(std::chrono::milliseconds idleTimeout, std::size_t keepers, const ServedPlugin::Settings& settings,
                                   const std::function<void(std::vector<Lifeline>&)>& scenario);

private:
    std::string pluginPath_;               ///< the library start() serves
    std::unique_ptr<ServedPlugin> served_; ///< what start() served; null before
};

} // namespace tttest
