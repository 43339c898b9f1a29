#include "PluginInstance.h"

#include "tthost/ConfigError.h"

#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/Path.h>
#include <Poco/SharedLibrary.h>

namespace tthost
{

std::string locatePluginLibrary(const std::string& key, const std::string& library, const std::vector<std::string>& searchDirs)
{
    if (library.find('/') != std::string::npos)
    {
        if (!Poco::File(library).exists())
            throw ConfigError(key, "'" + library + "' does not exist");
        return Poco::Path(library).absolute().toString();
    }
    const std::string suffix = Poco::SharedLibrary::suffix();
    const bool fileName = library.size() > suffix.size() && library.compare(library.size() - suffix.size(), suffix.size(), suffix) == 0;
    const std::string file = fileName ? library : "lib" + library + suffix;
    std::string searched;
    for (const std::string& dir : searchDirs)
    {
        const std::string candidate = Poco::Path(Poco::Path::forDirectory(dir), file).toString();
        if (Poco::File(candidate).exists())
            return candidate;
        searched += (searched.empty() ? "" : ", ") + dir;
    }
    throw ConfigError(key, "cannot find " + file + " (searched " + searched + ")");
}

PluginInstance::PluginInstance(const PluginSettings& settings, const Poco::Util::AbstractConfiguration& config,
                               const std::vector<std::string>& searchDirs)
    : settings_(settings)
    , logger_(Poco::Logger::get(settings.name))
{
    const std::string prefix = "host." + settings.name + ".";
    libraryPath_ = locatePluginLibrary(prefix + "library", settings.library, searchDirs);
    try
    {
        loader_.loadLibrary(libraryPath_);
    }
    catch (const Poco::Exception& error)
    {
        throw ConfigError(prefix + "library", "cannot load " + libraryPath_ + ": " + error.displayText());
    }
    const auto* meta = loader_.findClass(settings.className);
    if (!meta)
    {
        std::string exported;
        for (const auto* library : loader_)
            for (const auto* exportedMeta : *library->second)
                exported += (exported.empty() ? "" : ", ") + std::string(exportedMeta->name());
        throw ConfigError(prefix + "class", "'" + settings.className + "' is not exported by " + libraryPath_ + " (it exports: " + exported + ")");
    }
    // Bind first: a port in use is a configuration error, found before the plugin starts.
    std::vector<Poco::Net::ServerSocket> sockets;
    for (const Poco::Net::SocketAddress& address : settings.listen)
    {
        try
        {
            sockets.push_back(bindListenSocket(address, settings.backlog));
        }
        catch (const Poco::Exception& error)
        {
            throw ConfigError(prefix + "listen", "cannot listen on " + address.toString() + ": " + error.displayText());
        }
    }

    plugin_.reset(meta->create());
    try
    {
        plugin_->start(*config.createView(settings.name), logger_);
    }
    catch (const ConfigError& error)
    {
        // The plugin names keys within its own section.
        throw ConfigError(settings.name + "." + error.key(), error.problem());
    }
    for (const Poco::Net::ServerSocket& socket : sockets)
        listeners_.push_back(std::make_unique<Listener>(plugin_->connectionFactory(), socket, settings.maxThreads, settings.maxQueued));
}

PluginInstance::~PluginInstance()
{
    stop(Poco::Timespan(0));
}

void PluginInstance::startAccepting()
{
    for (auto& listener : listeners_)
    {
        listener->start();
        logger_.information(plugin_->name() + " " + plugin_->version() + " (" + libraryPath_ + ") listening on " +
                            listener->address().toString() + " (up to " + std::to_string(settings_.maxThreads) + " connections)");
    }
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
}

} // namespace tthost
