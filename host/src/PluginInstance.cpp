#include "PluginInstance.h"

#include "tthost/ConfigError.h"
#include "tthost/PluginLibrary.h"

#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/Path.h>
#include <Poco/SharedLibrary.h>

#include <algorithm>
#include <sys/resource.h>

namespace tthost
{
namespace
{

/// The soft limit on this process's open files.
std::uint64_t openFileLimit()
{
    rlimit limit{};
    return ::getrlimit(RLIMIT_NOFILE, &limit) == 0 ? limit.rlim_cur : 1024;
}

std::vector<Poco::Net::ServerSocket> bindAll(const std::vector<Poco::Net::SocketAddress>& addresses, int backlog, const std::string& key)
{
    std::vector<Poco::Net::ServerSocket> sockets;
    for (const Poco::Net::SocketAddress& address : addresses)
    {
        try
        {
            sockets.push_back(bindListenSocket(address, backlog));
        }
        catch (const Poco::Exception& error)
        {
            throw ConfigError(key, "cannot listen on " + address.toString() + ": " + error.displayText());
        }
    }
    return sockets;
}

/// Loads the library at `path` into `loader`, once its plugin API version is checked, and
/// checks that it exports `className`. Throws ConfigError for the `prefix` keys library or class.
void loadPluginClass(Poco::ClassLoader<ServerPlugin>& loader, const std::string& path, const std::string& className,
                     const std::string& prefix)
{
    checkPluginApi(path, prefix + "library");
    try
    {
        loader.loadLibrary(path);
    }
    catch (const Poco::Exception& error)
    {
        throw ConfigError(prefix + "library", "cannot load " + path + ": " + error.displayText());
    }
    if (loader.findClass(className))
        return;
    std::string exported;
    for (const auto* library : loader)
        for (const auto* meta : *library->second)
            exported += (exported.empty() ? "" : ", ") + std::string(meta->name());
    throw ConfigError(prefix + "class", "'" + className + "' is not exported by " + path + " (it exports: " + exported + ")");
}

/// Pairs each wanted address with a distinct listener configured for it (an address may be
/// listed twice with port 0). Returns the wanted addresses left without a listener; `kept`
/// tells which listeners were paired.
std::vector<Poco::Net::SocketAddress> unmatchedAddresses(const std::vector<Poco::Net::SocketAddress>& wanted,
                                                         const std::vector<std::unique_ptr<Listener>>& listeners,
                                                         std::vector<bool>& kept)
{
    kept.assign(listeners.size(), false);
    std::vector<Poco::Net::SocketAddress> unmatched;
    for (const auto& address : wanted)
    {
        std::size_t i = 0;
        while (i < listeners.size() && (kept[i] || listeners[i]->configured() != address))
            ++i;
        if (i < listeners.size())
            kept[i] = true;
        else
            unmatched.push_back(address);
    }
    return unmatched;
}

} // namespace

PluginInstance::PluginInstance(const PluginSettings& settings, const Poco::Util::AbstractConfiguration& config)
    : settings_(settings)
    , logger_(Poco::Logger::get(settings.name))
{
    const std::string prefix = "host." + settings.name + ".";
    libraryPath_ = locatePluginLibrary(settings.library, prefix + "library");
    loadPluginClass(loader_, libraryPath_, settings.className, prefix);

    // Bind first: a port in use is a configuration error, found before the plugin starts.
    const auto sockets = bindAll(settings.listen, settings.backlog, prefix + "listen");

    plugin_.reset(loader_.create(settings.className));
    try
    {
        plugin_->start(*config.createView(settings.name), logger_);
    }
    catch (const ConfigError& error)
    {
        // The plugin names keys within its own section.
        throw ConfigError(settings.name + "." + error.key(), error.problem());
    }
    for (std::size_t i = 0; i < sockets.size(); ++i)
        listeners_.push_back(std::make_unique<Listener>(settings.listen[i], sockets[i], plugin_->connectionFactory(),
                                                        plugin_->connectionFilter(), settings.maxThreads, settings.maxQueued));
}

PluginInstance::~PluginInstance()
{
    try
    {
        stop(Poco::Timespan(0));
    }
    catch (const std::exception& error)
    {
        // Destruction cannot fail; the threads are joined by the listeners' destructors.
        try
        {
            logger_.error("stopping " + settings_.name + " failed: " + error.what());
        }
        catch (const std::exception&)
        {
        }
    }
}

void PluginInstance::startAccepting()
{
    // What is served at once: what the plugin admits, if the threads hold as many.
    const std::size_t admitted = plugin_->maxConnections();
    const std::size_t threads = static_cast<std::size_t>(settings_.maxThreads);
    const std::size_t capacity = std::min(admitted, threads * listeners_.size());
    for (auto& listener : listeners_)
    {
        listener->start();
        logger_.information(plugin_->name() + " " + plugin_->version() + " (" + libraryPath_ + ") listening on " +
                            listener->bound().toString() + " (up to " + std::to_string(capacity) + " connections at once)");
    }
    const std::string prefix = "host." + settings_.name + ".";
    if (threads <= admitted)
        logger_.warning(prefix + "max_threads (" + std::to_string(threads) + ") is not above the " + std::to_string(admitted) + " connections " +
                        settings_.name + " admits: past " + std::to_string(threads) +
                        " a connection waits for a thread, and none is left to refuse or make room for it");
    const std::uint64_t files = openFileLimit();
    if (threads * listeners_.size() + 64 > files)
        logger_.warning(prefix + "max_threads (" + std::to_string(threads) + " per address, " + std::to_string(listeners_.size()) +
                        " addresses) asks for more sockets than this process may open (" + std::to_string(files) +
                        "): raise the open-file limit (LimitNOFILE, ulimit -n)");
}

PluginInstance::Reload PluginInstance::prepareReload(const PluginSettings& settings, const Poco::Util::AbstractConfiguration& config) const
{
    const std::string prefix = "host." + settings.name + ".";
    Reload reload;
    reload.settings = settings;
    if (settings.library != settings_.library || settings.className != settings_.className)
    {
        // Not applied before a restart, but checked now: the file must still start.
        Poco::ClassLoader<ServerPlugin> probe;
        loadPluginClass(probe, locatePluginLibrary(settings.library, prefix + "library"), settings.className, prefix);
        if (settings.library != settings_.library)
            reload.restartKeys.push_back(prefix + "library");
        if (settings.className != settings_.className)
            reload.restartKeys.push_back(prefix + "class");
    }
    if (settings.maxThreads != settings_.maxThreads)
        reload.restartKeys.push_back(prefix + "max_threads");
    if (settings.maxQueued != settings_.maxQueued)
        reload.restartKeys.push_back(prefix + "max_queued");
    if (settings.backlog != settings_.backlog)
        reload.restartKeys.push_back(prefix + "backlog");

    try
    {
        plugin_->validate(*config.createView(settings.name));
    }
    catch (const ConfigError& error)
    {
        throw ConfigError(settings.name + "." + error.key(), error.problem());
    }

    std::vector<bool> kept;
    const auto added = unmatchedAddresses(settings.listen, listeners_, kept);
    const auto sockets = bindAll(added, settings_.backlog, prefix + "listen");
    for (std::size_t i = 0; i < added.size(); ++i)
        reload.opened.emplace_back(added[i], sockets[i]);
    return reload;
}

std::vector<std::string> PluginInstance::applyReload(Reload reload, const Poco::Util::AbstractConfiguration& config)
{
    std::vector<bool> kept;
    unmatchedAddresses(reload.settings.listen, listeners_, kept);
    // Open the new addresses before closing the old ones, so the service is never unreachable.
    std::vector<std::unique_ptr<Listener>> listening;
    for (const auto& [address, socket] : reload.opened)
    {
        listening.push_back(std::make_unique<Listener>(address, socket, plugin_->connectionFactory(), plugin_->connectionFilter(),
                                                       settings_.maxThreads, settings_.maxQueued));
        listening.back()->start();
        logger_.information(plugin_->name() + " now also listening on " + listening.back()->bound().toString());
    }
    for (std::size_t i = 0; i < listeners_.size(); ++i)
    {
        if (kept[i])
        {
            listening.push_back(std::move(listeners_[i]));
            continue;
        }
        listeners_[i]->stopAccepting();
        logger_.information(plugin_->name() + " no longer listening on " + listeners_[i]->bound().toString() + "; its " +
                            std::to_string(listeners_[i]->activeConnections()) + " connections stay");
        retired_.push_back(std::move(listeners_[i]));
    }
    listeners_ = std::move(listening);
    settings_.listen = reload.settings.listen;

    std::vector<std::string> restartKeys = std::move(reload.restartKeys);
    for (const std::string& key : plugin_->reconfigure(*config.createView(settings_.name)))
        restartKeys.push_back(settings_.name + "." + key);
    return restartKeys;
}

bool PluginInstance::housekeep()
{
    retired_.erase(std::remove_if(retired_.begin(), retired_.end(), [](const auto& l) { return l->activeConnections() == 0; }),
                   retired_.end());
    bool released = false;
    for (auto& listener : listeners_)
        released = listener->releaseIdleThreads() || released;
    for (auto& listener : retired_)
        released = listener->releaseIdleThreads() || released;
    return released;
}

void PluginInstance::stopAccepting()
{
    for (auto& listener : listeners_)
        listener->stopAccepting();
}

void PluginInstance::stop(Poco::Timespan drainTimeout)
{
    if (stopped_ || !plugin_)
        return;
    stopped_ = true;
    stopAccepting();
    plugin_->stop(drainTimeout);
    for (auto& listener : listeners_)
        listener->join();
    for (auto& listener : retired_)
        listener->join();
}

} // namespace tthost
