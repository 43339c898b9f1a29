#include "tthost/AdminSubsystem.h"

#include "AdminServer.h"
#include "HostSettings.h"
#include "Listener.h"

#include "tthost/ConfigError.h"
#include "tthost/ConfigFileWatcher.h"
#include "tthost/MetricsWriter.h"
#include "tthost/PluginSubsystem.h"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/Timestamp.h>

#include <sstream>

namespace tthost
{

/// A changed address prepare() bound, and the endpoint to serve it (not started yet).
struct AdminSubsystem::Prepared
{
    std::optional<Poco::Net::SocketAddress> listen;
    std::string token;
    std::unique_ptr<AdminServer> server;
};

namespace
{

/// True when `request` uses `method`; otherwise makes `response` a 405 naming it.
bool takes(const AdminRequest& request, const char* method, AdminResponse& response)
{
    if (request.method == method)
        return true;
    response.status = 405;
    response.allow = method;
    response.body = std::string(R"({"error":")") + request.path + " takes " + method + " only\"}";
    return false;
}

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

AdminSubsystem::AdminSubsystem(ConfigFileWatcher* watcher)
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
    const HostSettings settings = HostSettings::read(app.config());
    configured_ = settings.adminListen;
    token_ = settings.adminToken;
    install(bindAdmin(configured_, [this](const AdminRequest& request, const std::string& bearer, AdminResponse& response) {
        answer(request, bearer, response);
    }));
}

void AdminSubsystem::prepare(const Poco::Util::AbstractConfiguration& config)
{
    auto prepared = std::make_unique<Prepared>();
    const HostSettings settings = HostSettings::read(config);
    prepared->listen = settings.adminListen;
    prepared->token = settings.adminToken;
    if (prepared->listen != configured_)
        prepared->server = bindAdmin(prepared->listen, [this](const AdminRequest& request, const std::string& bearer, AdminResponse& response) {
            answer(request, bearer, response);
        });
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
    {
        std::lock_guard lock(serverMutex_);
        token_ = prepared->token;
    }
    if (prepared->listen == configured_)
        return;
    configured_ = prepared->listen;
    install(std::move(prepared->server));
}

void AdminSubsystem::uninitialize()
{
    prepared_.reset();
    std::vector<std::unique_ptr<AdminServer>> servers;
    {
        std::lock_guard lock(serverMutex_);
        servers = std::move(retired_);
        servers.push_back(std::move(server_));
    }
    servers.clear(); // joins their threads, which may be asking the plugins: not under the lock
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
    std::lock_guard lock(serverMutex_);
    if (server_)
    {
        // Stopped, not destroyed: this may be one of its threads (POST /reload), which its
        // destructor would wait for. It goes at uninitialize().
        server_->stop();
        if (!next)
            app_->logger().information("admin endpoint closed");
        retired_.push_back(std::move(server_));
    }
    server_ = std::move(next);
}

bool AdminSubsystem::allowsChange(const Poco::Net::SocketAddress& endpoint, const std::string& token, const std::string& bearerToken)
{
    if (token.empty())
        return endpoint.host().isLoopback();
    // Compared in time independent of where they differ.
    unsigned char difference = token.size() == bearerToken.size() ? 0 : 1;
    for (std::size_t i = 0; i < token.size(); ++i)
        difference |= static_cast<unsigned char>(token[i] ^ (i < bearerToken.size() ? bearerToken[i] : 0));
    return difference == 0;
}

void AdminSubsystem::answer(const AdminRequest& request, const std::string& bearerToken, AdminResponse& response)
{
    try
    {
        if (request.method != "GET")
        {
            std::string token;
            std::optional<Poco::Net::SocketAddress> endpoint;
            {
                std::lock_guard lock(serverMutex_);
                token = token_;
                endpoint = server_ ? std::optional(server_->address()) : std::nullopt;
            }
            if (!endpoint || !allowsChange(*endpoint, token, bearerToken))
            {
                response.status = 403;
                response.body = token.empty() ? R"({"error":"requests that change things are served on a loopback address only, or with host.admin.token"})"
                                              : R"({"error":"requests that change things need host.admin.token as Authorization: Bearer TOKEN"})";
                return;
            }
        }
        const bool ready = plugins_ && plugins_->serving();
        if (request.path == "/metrics" && takes(request, "GET", response))
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
                for (const Outcome outcome : {Outcome::Applied, Outcome::Unchanged, Outcome::Rejected})
                    metrics.sample(static_cast<double>(watcher_->reloads(outcome)), {{"result", ConfigFileWatcher::toString(outcome)}});
            }
            if (plugins_)
                plugins_->writeMetrics(metrics);
            response.contentType = MetricsWriter::kContentType;
            response.body = metrics.text();
            return;
        }
        if (request.path == "/healthz" && takes(request, "GET", response))
        {
            response.body = R"({"status":"alive"})";
            return;
        }
        if (request.path == "/readyz" && takes(request, "GET", response))
        {
            response.status = ready ? 200 : 503;
            response.body = ready ? R"({"status":"ready"})" : R"({"status":"not ready"})";
            return;
        }
        if (request.path == "/host" && takes(request, "GET", response))
            return hostStatus(response);
        if (request.path == "/reload" && takes(request, "POST", response))
            return reload(response);
        if (response.status == 405)
            return;
        if (plugins_ && plugins_->handleAdmin(request, response))
            return;
        response.status = 404;
        response.body = R"({"error":"no such endpoint; try /, /metrics, /healthz, /readyz, /host, /status, /peers, /presence?user=ID, /trace?user=ID"})";
    }
    catch (const std::exception& error)
    {
        app_->logger().error(std::string("admin request ") + request.method + " " + request.path + " failed: " + error.what());
        response.status = 500;
        response.contentType = "application/json";
        response.body = R"({"error":"internal error, see the log"})";
        response.stream = nullptr;
    }
}

void AdminSubsystem::hostStatus(AdminResponse& response)
{
    Poco::JSON::Object host;
    host.set("version", TTHOST_VERSION);
    host.set("uptime_seconds", std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count());
    host.set("ready", plugins_ && plugins_->serving());
    host.set("started", Poco::DateTimeFormatter::format(startedAt_, Poco::DateTimeFormat::ISO8601_FORMAT));
    if (watcher_)
    {
        Poco::JSON::Object config;
        config.set("file", watcher_->path());
        Poco::JSON::Object settings;
        for (const auto& [key, value] : watcher_->settings())
            settings.set(key, value);
        config.set("settings", settings);
        Poco::JSON::Object reloads;
        using Outcome = ConfigFileWatcher::Outcome;
        for (const Outcome outcome : {Outcome::Applied, Outcome::Unchanged, Outcome::Rejected})
            reloads.set(ConfigFileWatcher::toString(outcome), watcher_->reloads(outcome));
        if (const auto last = watcher_->lastReload())
        {
            Poco::JSON::Object lastReload;
            lastReload.set("at", Poco::DateTimeFormatter::format(Poco::Timestamp::fromEpochTime(std::chrono::system_clock::to_time_t(last->when)),
                                                                Poco::DateTimeFormat::ISO8601_FORMAT));
            lastReload.set("result", ConfigFileWatcher::toString(last->outcome));
            lastReload.set("message", last->message);
            reloads.set("last", lastReload);
        }
        config.set("reloads", reloads);
        host.set("config", config);
    }
    std::ostringstream out;
    host.stringify(out);
    response.body = out.str();
}

void AdminSubsystem::reload(AdminResponse& response)
{
    if (!watcher_)
    {
        response.status = 404;
        response.body = R"({"error":"this application reloads no configuration file"})";
        return;
    }
    const ConfigFileWatcher::Reload done = watcher_->reload("on request of the admin endpoint");
    Poco::JSON::Object result;
    result.set("result", ConfigFileWatcher::toString(done.outcome));
    result.set("message", done.message);
    std::ostringstream out;
    result.stringify(out);
    response.status = done.outcome == ConfigFileWatcher::Outcome::Rejected ? 422 : 200;
    response.body = out.str();
}

} // namespace tthost
