#include "HostSettings.h"

#include "tthost/ConfigError.h"
#include "tthost/ConfigReader.h"

#include <Poco/Exception.h>

#include <algorithm>

namespace tthost
{
namespace
{

/// The route server is what this host is for: its instance runs unless told otherwise.
constexpr const char* kDefaultPlugin = "route";
constexpr const char* kDefaultLibrary = "ttroute";
constexpr const char* kDefaultClass = "RoutePlugin";
constexpr const char* kDefaultListen = "127.0.0.1:8200";
constexpr const char* kDefaultAdminListen = "127.0.0.1:8280";

std::vector<Poco::Net::SocketAddress> parseAddresses(ConfigReader& reader, const std::string& key, const std::vector<std::string>& defaults)
{
    std::vector<Poco::Net::SocketAddress> addresses;
    for (const std::string& text : reader.getList(key, defaults))
    {
        try
        {
            addresses.emplace_back(text);
        }
        catch (const Poco::Exception& error)
        {
            throw ConfigError(reader.fullKey(key), "'" + text + "' is not a host:port address (" + error.displayText() + ")");
        }
    }
    if (addresses.empty())
        throw ConfigError(reader.fullKey(key), "no address given");

    return addresses;
}

} // namespace

HostSettings HostSettings::read(const Poco::Util::AbstractConfiguration& config)
{
    ConfigReader reader(config, "host");
    HostSettings settings;
    settings.drainTimeout = reader.getDuration("drain_timeout", Poco::Timespan(5, 0), Poco::Timespan(0), Poco::Timespan(600, 0));
    settings.adminToken = reader.getString("admin.token", "");
    const std::string admin = reader.getString("admin.listen", kDefaultAdminListen);
    if (!admin.empty())
    {
        try
        {
            settings.adminListen = Poco::Net::SocketAddress(admin);
        }
        catch (const Poco::Exception& error)
        {
            throw ConfigError(reader.fullKey("admin.listen"), "'" + admin + "' is not a host:port address (" + error.displayText() + ")");
        }
    }
    for (const std::string& name : reader.getList("plugins", {kDefaultPlugin}))
    {
        const bool isDefault = name == kDefaultPlugin;
        PluginSettings plugin;
        plugin.name = name;
        plugin.library = reader.getString(name + ".library", isDefault ? kDefaultLibrary : "");
        plugin.className = reader.getString(name + ".class", isDefault ? kDefaultClass : "");
        if (plugin.library.empty())
            throw ConfigError(reader.fullKey(name + ".library"), "missing: which library implements plugin '" + name + "'");
        if (plugin.className.empty())
            throw ConfigError(reader.fullKey(name + ".class"), "missing: which class of " + plugin.library + " to run");
        plugin.listen = parseAddresses(reader, name + ".listen", isDefault ? std::vector<std::string>{kDefaultListen} : std::vector<std::string>{});
        // Threads are made as connections come, with small stacks: the defaults let a plugin
        // serve a few thousand connections (ttroute: route.max_connections = 4000), with room
        // for those it refuses or evicts, and a storm of connects finds room in the backlog.
        plugin.maxThreads = static_cast<int>(reader.getInteger(name + ".max_threads", 4096, 1, 65536));
        plugin.maxQueued = static_cast<int>(reader.getInteger(name + ".max_queued", 64, 0, 65536));
        plugin.backlog = static_cast<int>(reader.getInteger(name + ".backlog", 1024, 1, 65536));
        settings.plugins.push_back(std::move(plugin));
    }
    if (settings.plugins.empty())
        throw ConfigError("host.plugins", "no plugin to run");
    reader.rejectUnknownKeys();
    return settings;
}

void HostSettings::rejectUnknownSections(const Poco::Util::AbstractConfiguration& file)
{
    const HostSettings settings = read(file);
    // Every key belongs to the host, to logging, or to a plugin's section: anything else is
    // a typo, or a line of the file that is not "key = value" at all.
    for (const auto& [key, value] : flattenConfig(file))
    {
        const std::string root = key.substr(0, key.find('.'));
        const bool known = root == "host" || root == "logging" ||
                           std::any_of(settings.plugins.begin(), settings.plugins.end(), [&](const auto& p) { return p.name == root; });
        if (!known)
            throw ConfigError(key, "unknown key (value '" + value + "'; sections are host, logging and the plugins' names)");
    }
}

} // namespace tthost
