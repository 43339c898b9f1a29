#pragma once

#include "tthost/AdminRequest.h"
#include "tthost/ReconfigurableSubsystem.h"

#include <Poco/Net/SocketAddress.h>
#include <Poco/Timestamp.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace tthost
{

class AdminServer;
class ConfigFileWatcher;
class PluginSubsystem;

/// The admin HTTP endpoint as a subsystem, for applications that want it (opt-in). On
/// host.admin.listen (default 127.0.0.1:8280; empty: none) it answers GET /metrics
/// (Prometheus text format: uptime, readiness, reloads, and every plugin's metrics),
/// /healthz, /readyz (200 while the PluginSubsystem serves, 503 while it starts or drains),
/// /host (the host's state and configuration, as JSON), POST /reload (with a
/// ConfigFileWatcher: re-reads the file now and says what changed, or why not), and what
/// the plugins answer (ttroute: /, /status, /peers, /presence, /trace, POST /drain).
///
/// POSTs change things: they are served only with host.admin.token presented as
/// "Authorization: Bearer TOKEN" when a token is set, and without one only on an endpoint
/// bound to a loopback address; otherwise 403. The endpoint has threads of its own and never
/// holds routing up. Add it after the PluginSubsystem, whose plugins it asks; it is
/// uninitialized first, so an application that wants readiness reported during the drain
/// calls PluginSubsystem::stop() before returning from main().
class AdminSubsystem : public ReconfigurableSubsystem
{
public:
    /// An endpoint that also reports the configuration and reloads of `watcher`, if given, and
    /// reloads it on POST /reload (it must outlive the endpoint; close() it before the
    /// application uninitializes).
    explicit AdminSubsystem(ConfigFileWatcher* watcher = nullptr);

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

    /// Whether a request other than a GET (a POST) with `bearerToken` may be served by an
    /// endpoint bound to `endpoint` when the configured token is `token` (see the class comment).
    static bool allowsChange(const Poco::Net::SocketAddress& endpoint, const std::string& token, const std::string& bearerToken);

private:
    struct Prepared;

    void answer(const AdminRequest& request, const std::string& bearerToken, AdminResponse& response);
    void hostStatus(AdminResponse& response);
    void reload(AdminResponse& response);
    void install(std::unique_ptr<AdminServer> next);

    ConfigFileWatcher* watcher_;
    Poco::Util::Application* app_ = nullptr;
    PluginSubsystem* plugins_ = nullptr;
    std::optional<Poco::Net::SocketAddress> configured_; ///< host.admin.listen in force
    std::string token_;                                  ///< host.admin.token in force; guarded by serverMutex_
    std::unique_ptr<Prepared> prepared_;
    mutable std::mutex serverMutex_; ///< server_, retired_ and token_ against the endpoint's threads
    std::unique_ptr<AdminServer> server_;
    std::vector<std::unique_ptr<AdminServer>> retired_; ///< endpoints replaced by a reload, stopped, joined at uninitialize()
    const std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
    const Poco::Timestamp startedAt_;
};

} // namespace tthost
