#pragma once

#include "tthost/AdminRequest.h"
#include "tthost/MetricsWriter.h"
#include "tthost/ReconfigurableSubsystem.h"

#include <Poco/Net/SocketAddress.h>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <thread>
#include <vector>

namespace tthost
{

class PluginInstance;
struct HostSettings;

/// Plugin hosting as a Poco::Util::Subsystem: any Poco::Util::Application (or
/// ServerApplication) serves the plugins its configuration names with one call,
/// addSubsystem(new tthost::PluginSubsystem).
///
/// From the host.* keys of the application's config() it loads each plugin library with
/// Poco::ClassLoader (refusing one built for another plugin API version before calling into
/// it), starts the plugin with its own section (route.* for the instance "route"), and runs
/// one Poco::Net::TCPServer per listen address with the plugin's connection factory and
/// filter. reinitialize() applies a changed configuration live; uninitialize() drains and
/// stops. initialize() and uninitialize() come from the application's thread (Poco calls them
/// from run()), reinitialize() from whichever thread reloads (one at a time); writeMetrics()
/// and handleAdmin() may come from any thread.
class PluginSubsystem : public ReconfigurableSubsystem
{
public:
    /// When the plugins start accepting connections.
    enum class Start
    {
        WhenInitialized, ///< at the end of initialize()
        WhenTold,        ///< at startAccepting(): for a host that initializes more after it and
                         ///< wants nothing served if that fails (tthost: the admin address)
    };

    /// A subsystem that starts accepting as `start` says.
    explicit PluginSubsystem(Start start = Start::WhenInitialized);

    /// "tthost.plugins".
    const char* name() const override;

    /// Loads and starts every configured plugin and binds its addresses, then (by default)
    /// starts accepting on them; throws ConfigError naming the key (an unknown key, a library
    /// that cannot be found, loaded or is of another API version, an address in use, a value
    /// the plugin refuses), having undone whatever it did.
    void initialize(Poco::Util::Application& app) override;

    /// Starts accepting on every address (Start::WhenTold); idempotent.
    void startAccepting();

    /// Checks the host.* keys and each plugin's section, and binds the addresses added.
    void prepare(const Poco::Util::AbstractConfiguration& config) override;

    /// Closes what prepare() bound.
    void discard() noexcept override;

    /// Opens added addresses before closing removed ones (their connections stay), and hands
    /// each plugin its new section. Keys that need a restart are left as they are.
    void reinitialize(Poco::Util::Application& app) override;

    /// What the last reinitialize() found changed that only a restart applies: host.plugins,
    /// and host.<name>.library, class, max_threads, max_queued, backlog.
    std::vector<std::string> restartKeys() const override;

    /// stop(), then unloads the plugins.
    void uninitialize() override;

    /// Stops accepting, lets every connection flush what is queued for it for up to
    /// host.drain_timeout, stops the plugins and joins their connection threads. An
    /// application that keeps other services (an admin endpoint) up during the drain calls it
    /// before returning from main(); otherwise uninitialize() does. Idempotent.
    void stop();

    /// True from the end of initialize() until stop() begins: accepting and routing.
    bool serving() const { return serving_.load(); }

    /// Appends every plugin's metrics; from any thread.
    void writeMetrics(MetricsWriter& metrics);

    /// Lets the plugins answer an admin request; false when none does. From any thread.
    bool handleAdmin(const AdminRequest& request, AdminResponse& response);

protected:
    ~PluginSubsystem() override;

private:
    struct Prepared;

    void housekeep();
    void stopHousekeeping();

    std::unique_ptr<HostSettings> settings_;
    mutable std::shared_mutex pluginsMutex_; ///< plugins_ against writeMetrics() and handleAdmin()
    std::vector<std::unique_ptr<PluginInstance>> plugins_;
    std::unique_ptr<Prepared> prepared_;
    std::vector<std::string> restartKeys_;
    const Start start_;
    std::atomic<bool> serving_{false};
    bool stopped_ = false;
    std::condition_variable_any housekeeping_; ///< wakes the housekeeper to stop
    bool stopHousekeeping_ = false;            ///< guarded by pluginsMutex_
    std::thread housekeeper_;                  ///< every second: idle threads and retired listeners go
};

} // namespace tthost
