#include "tthost/AdminSubsystem.h"

#include "AdminServer.h"
#include "HostSettings.h"
#include "Listener.h"

#include "tthost/ConfigError.h"
#include "tthost/ConfigFileWatcher.h"
#include "tthost/MetricsWriter.h"
#include "tthost/PluginSubsystem.h"

#include <Poco/Exception.h>

namespace tthost
{

/// A changed address prepare() bound, and the endpoint to serve it (not started yet).
struct AdminSubsystem::Prepared
{
    std::optional<Poco::Net::SocketAddress> listen;
    std::unique_ptr<AdminServer> server;
};

namespace
{

std::unique_ptr<AdminServer> bindAdmin(const std::optional<Poco::Net::SocketAddress>& listen, AdminServer::Answer answer)
{
    if (!listen)
        return nullptr;
    // Bound and built, not started: a reload rejected after this point leaves no trace.
    try
    {
        return std::make_unique<AdminServer>(bindListenSocket(*listen, 16), std::move(answer));
    }
    catch (const Poco::Exception& error)
    {
        throw ConfigError("host.admin.listen", "cannot listen on " + listen->toString() + ": " + error.displayText());
    }
}

} // namespace

AdminSubsystem::AdminSubsystem(const ConfigFileWatcher* watcher)
    : watcher_(watcher)
{
}

AdminSubsystem::~AdminSubsystem() = default;

const char* AdminSubsystem::name() const
{
    return "tthost.admin";
}

void AdminSubsystem::initialize(Poco::Util::Application& app)
{
    app_ = &app;
    try
    {
        plugins_ = &app.getSubsystem<PluginSubsystem>();
    }
    catch (const Poco::NotFoundException&)
    {
        plugins_ = nullptr; // an endpoint without plugins: health and the host's own metrics
    }
    configured_ = HostSettings::read(app.config()).adminListen;
    install(bindAdmin(configured_, [this](const AdminRequest& request, AdminResponse& response) { answer(request, response); }));
}

void AdminSubsystem::prepare(const Poco::Util::AbstractConfiguration& config)
{
    auto prepared = std::make_unique<Prepared>();
    prepared->listen = HostSettings::read(config).adminListen;
    if (prepared->listen != configured_)
        prepared->server = bindAdmin(prepared->listen, [this](const AdminRequest& request, AdminResponse& response) { answer(request, response); });
    prepared_ = std::move(prepared);
}

void AdminSubsystem::discard() noexcept
{
    prepared_.reset();
}

void AdminSubsystem::reinitialize(Poco::Util::Application& app)
{
    if (!prepared_)
        prepare(app.config());
    const std::unique_ptr<Prepared> prepared = std::move(prepared_);
    if (prepared->listen == configured_)
        return;
    configured_ = prepared->listen;
    install(std::move(prepared->server));
}

void AdminSubsystem::uninitialize()
{
    prepared_.reset();
    std::unique_ptr<AdminServer> last;
    {
        std::lock_guard lock(serverMutex_);
        last = std::move(server_);
    }
    last.reset(); // joins its threads, which may be asking the plugins: not under the lock
}

std::optional<Poco::Net::SocketAddress> AdminSubsystem::address() const
{
    std::lock_guard lock(serverMutex_);
    return server_ ? std::optional(server_->address()) : std::nullopt;
}

void AdminSubsystem::install(std::unique_ptr<AdminServer> next)
{
    // The new endpoint is up before the old one goes.
    if (next)
    {
        next->start();
        app_->logger().information("admin endpoint at http://" + next->address().toString() + "/");
    }
    std::unique_ptr<AdminServer> old;
    {
        std::lock_guard lock(serverMutex_);
        old = std::move(server_);
        server_ = std::move(next);
    }
    if (old && !address())
        app_->logger().information("admin endpoint closed");
}

void AdminSubsystem::answer(const AdminRequest& request, AdminResponse& response)
{
    try
    {
        const bool ready = plugins_ && plugins_->serving();
        if (request.path == "/metrics")
        {
            MetricsWriter metrics;
            metrics.family("tthost_uptime_seconds", MetricsWriter::Type::Gauge, "Seconds since tthost started.");
            metrics.sample(std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count());
            metrics.family("tthost_ready", MetricsWriter::Type::Gauge, "1 while tthost serves; 0 while starting or draining.");
            metrics.sample(ready ? 1 : 0);
            if (watcher_)
            {
                using Outcome = ConfigFileWatcher::Outcome;
                metrics.family("tthost_config_reloads_total", MetricsWriter::Type::Counter, "Configuration reloads, by result.");
                metrics.sample(static_cast<double>(watcher_->reloads(Outcome::Applied)), {{"result", "applied"}});
                metrics.sample(static_cast<double>(watcher_->reloads(Outcome::Unchanged)), {{"result", "unchanged"}});
                metrics.sample(static_cast<double>(watcher_->reloads(Outcome::Rejected)), {{"result", "rejected"}});
            }
            if (plugins_)
                plugins_->writeMetrics(metrics);
            response.contentType = MetricsWriter::kContentType;
            response.body = metrics.text();
            return;
        }
        if (request.path == "/healthz")
        {
            response.body = R"({"status":"alive"})";
            return;
        }
        if (request.path == "/readyz")
        {
            response.status = ready ? 200 : 503;
            response.body = ready ? R"({"status":"ready"})" : R"({"status":"not ready"})";
            return;
        }
        if (plugins_ && plugins_->handleAdminGet(request, response))
            return;
        response.status = 404;
        response.body = R"({"error":"no such endpoint; try /metrics, /healthz, /readyz, /peers, /presence?user=ID"})";
    }
    catch (const std::exception& error)
    {
        app_->logger().error(std::string("admin request ") + request.path + " failed: " + error.what());
        response.status = 500;
        response.contentType = "application/json";
        response.body = R"({"error":"internal error, see the log"})";
    }
}

} // namespace tthost
