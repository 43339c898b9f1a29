#include "tthost/PluginSubsystem.h"

#include "HostSettings.h"
#include "PluginInstance.h"

#include "tthost/ConfigError.h"

#include <algorithm>
#include <malloc.h>
#include <mutex>

namespace tthost
{

/// A configuration prepare() accepted, ready to apply.
struct PluginSubsystem::Prepared
{
    HostSettings settings;
    std::vector<PluginInstance::Reload> reloads; ///< one per running instance, in order
    std::vector<std::string> restartKeys;
};

PluginSubsystem::PluginSubsystem(Start start)
    : start_(start)
{
}

PluginSubsystem::~PluginSubsystem()
{
    // Poco uninitializes only subsystems whose application initialized completely: the
    // instances still here stop on destruction (PluginInstance::~PluginInstance).
    stopHousekeeping();
    std::unique_lock lock(pluginsMutex_);
    plugins_.clear();
}

const char* PluginSubsystem::name() const
{
    return "tthost.plugins";
}

void PluginSubsystem::initialize(Poco::Util::Application& app)
{
    auto settings = std::make_unique<HostSettings>(HostSettings::read(app.config()));
    std::vector<std::unique_ptr<PluginInstance>> plugins;
    for (const PluginSettings& plugin : settings->plugins)
        plugins.push_back(std::make_unique<PluginInstance>(plugin, app.config()));
    {
        std::unique_lock lock(pluginsMutex_);
        plugins_ = std::move(plugins);
    }
    settings_ = std::move(settings);
    stopped_ = false;
    stopHousekeeping_ = false;
    housekeeper_ = std::thread([this] { housekeep(); });
    if (start_ == Start::WhenInitialized)
        startAccepting();
}

void PluginSubsystem::housekeep()
{
    std::unique_lock lock(pluginsMutex_);
    while (!housekeeping_.wait_for(lock, std::chrono::seconds(1), [this] { return stopHousekeeping_; }))
    {
        bool released = false;
        for (auto& plugin : plugins_)
            released = plugin->housekeep() || released;
        // Connections went: what their threads freed goes back to the system too (the
        // allocator would keep it for reuse), so memory follows the connections down.
        if (released)
            ::malloc_trim(0);
    }
}

void PluginSubsystem::stopHousekeeping()
{
    {
        std::unique_lock lock(pluginsMutex_);
        stopHousekeeping_ = true;
    }
    housekeeping_.notify_all();
    if (housekeeper_.joinable())
        housekeeper_.join();
}

void PluginSubsystem::startAccepting()
{
    if (serving_ || stopped_ || !settings_)
        return;
    for (auto& plugin : plugins_)
        plugin->startAccepting();
    serving_ = true;
}

void PluginSubsystem::prepare(const Poco::Util::AbstractConfiguration& config)
{
    auto prepared = std::make_unique<Prepared>();
    prepared->settings = HostSettings::read(config);
    const HostSettings& next = prepared->settings;
    if (next.plugins.size() != settings_->plugins.size() ||
        !std::equal(next.plugins.begin(), next.plugins.end(), settings_->plugins.begin(), [](const auto& a, const auto& b) { return a.name == b.name; }))
        prepared->restartKeys.push_back("host.plugins");
    // Check everything before changing anything: a reload applies whole or not at all.
    for (const auto& plugin : plugins_)
    {
        auto named = [&](const PluginSettings& p) { return p.name == plugin->name(); };
        const auto wanted = std::find_if(next.plugins.begin(), next.plugins.end(), named);
        // An instance dropped from host.plugins keeps running until a restart, on its old settings.
        const PluginSettings& settings =
            wanted != next.plugins.end() ? *wanted : *std::find_if(settings_->plugins.begin(), settings_->plugins.end(), named);
        prepared->reloads.push_back(plugin->prepareReload(settings, config));
    }
    prepared_ = std::move(prepared);
}

void PluginSubsystem::discard() noexcept
{
    prepared_.reset();
}

void PluginSubsystem::reinitialize(Poco::Util::Application& app)
{
    if (!prepared_)
        prepare(app.config());
    const std::unique_ptr<Prepared> prepared = std::move(prepared_);
    restartKeys_ = prepared->restartKeys;
    std::unique_lock lock(pluginsMutex_); // against the housekeeping
    for (std::size_t i = 0; i < plugins_.size(); ++i)
        for (std::string& key : plugins_[i]->applyReload(std::move(prepared->reloads[i]), app.config()))
            restartKeys_.push_back(std::move(key));
    settings_->drainTimeout = prepared->settings.drainTimeout;
    settings_->adminListen = prepared->settings.adminListen;
}

std::vector<std::string> PluginSubsystem::restartKeys() const
{
    return restartKeys_;
}

void PluginSubsystem::stop()
{
    if (stopped_ || !settings_)
        return;
    stopped_ = true;
    serving_ = false;
    stopHousekeeping();
    for (auto& plugin : plugins_)
        plugin->stopAccepting();
    for (auto& plugin : plugins_)
        plugin->stop(settings_->drainTimeout);
}

void PluginSubsystem::uninitialize()
{
    stop();
    prepared_.reset();
    std::unique_lock lock(pluginsMutex_);
    plugins_.clear();
}

void PluginSubsystem::writeMetrics(MetricsWriter& metrics)
{
    std::shared_lock lock(pluginsMutex_);
    for (auto& plugin : plugins_)
        plugin->plugin().writeMetrics(metrics);
}

bool PluginSubsystem::handleAdmin(const AdminRequest& request, AdminResponse& response)
{
    std::shared_lock lock(pluginsMutex_);
    return std::any_of(plugins_.begin(), plugins_.end(), [&](auto& plugin) { return plugin->plugin().handleAdmin(request, response); });
}

} // namespace tthost
