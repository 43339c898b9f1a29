#pragma once

#include "tthost/AdminRequest.h"
#include "tthost/ReconfigurableSubsystem.h"

#include <Poco/Net/SocketAddress.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>

namespace tthost
{

class AdminServer;
class ConfigFileWatcher;
class PluginSubsystem;

/// The admin HTTP endpoint as a subsystem, for applications that want it (opt-in). On
/// host.admin.listen (default 127.0.0.1:8280; empty: none) it answers GET /metrics
/// (Prometheus text format: uptime, readiness, reloads, and every plugin's metrics),
/// /healthz, /readyz (200 while the PluginSubsystem serves, 503 while it starts or drains)
/// and what the plugins answer (ttroute: /peers, /presence). It has threads of its own and
/// never holds routing up. Add it after the PluginSubsystem, whose plugins it asks; it is
/// uninitialized first, so an application that wants readiness reported during the drain
/// calls PluginSubsystem::stop() before returning from main().
class AdminSubsystem : public ReconfigurableSubsystem
{
public:
    /// An endpoint that also reports the reloads of `watcher`, if given (it must outlive it).
    explicit AdminSubsystem(const ConfigFileWatcher* watcher = nullptr);

    /// "tthost.admin".
    const char* name() const override;

    /// Binds host.admin.listen and starts answering; throws ConfigError("host.admin.listen", ...).
    void initialize(Poco::Util::Application& app) override;

    /// Binds a changed host.admin.listen.
    void prepare(const Poco::Util::AbstractConfiguration& config) override;

    /// Closes what prepare() bound.
    void discard() noexcept override;

    /// Starts answering on a changed address before closing the old one.
    void reinitialize(Poco::Util::Application& app) override;

    /// Stops answering; requests in progress finish first.
    void uninitialize() override;

    /// The address it answers on, with the real port; none while it has none.
    std::optional<Poco::Net::SocketAddress> address() const;

protected:
    ~AdminSubsystem() override;

private:
    struct Prepared;

    void answer(const AdminRequest& request, AdminResponse& response);
    void install(std::unique_ptr<AdminServer> next);

    const ConfigFileWatcher* watcher_;
    Poco::Util::Application* app_ = nullptr;
    PluginSubsystem* plugins_ = nullptr;
    std::optional<Poco::Net::SocketAddress> configured_; ///< host.admin.listen in force
    std::unique_ptr<Prepared> prepared_;
    mutable std::mutex serverMutex_; ///< server_ against address()
    std::unique_ptr<AdminServer> server_;
    const std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

} // namespace tthost
