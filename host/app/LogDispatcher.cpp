#include "LogDispatcher.h"

#include "tthost/ConfigError.h"
#include "tthost/ConfigReader.h"

#include <Poco/ConsoleChannel.h>
#include <Poco/Exception.h>
#include <Poco/FormattingChannel.h>
#include <Poco/Logger.h>
#include <Poco/LoggingFactory.h>
#include <Poco/PatternFormatter.h>
#include <Poco/String.h>
#include <Poco/Util/LoggingConfigurator.h>
#include <Poco/Util/MapConfiguration.h>

#include <algorithm>

namespace tthost
{
namespace
{

bool endsWith(const std::string& text, const std::string& suffix)
{
    return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

/// Checks the values LoggingConfigurator would reject with a message that does not name the
/// key: levels, and channel and formatter classes.
void checkLoggingValues(const std::map<std::string, std::string>& logging)
{
    for (const auto& [key, value] : logging)
    {
        const std::string trimmed = Poco::trim(value);
        const bool level = endsWith(key, ".level") && key.rfind("loggers.", 0) == 0;
        try
        {
            if (level)
                Poco::Logger::parseLevel(trimmed);
            else if (endsWith(key, ".class") && key.rfind("channels.", 0) == 0)
                Poco::LoggingFactory::defaultFactory().createChannel(trimmed);
            else if (endsWith(key, ".class") && key.rfind("formatters.", 0) == 0)
                Poco::LoggingFactory::defaultFactory().createFormatter(trimmed);
        }
        catch (const Poco::Exception&)
        {
            throw ConfigError("logging." + key, "'" + value + "' is not a " +
                                                     (level ? "log level (none, fatal, critical, error, warning, notice, information, debug, trace)"
                                                            : "known class"));
        }
    }
}

void destroyScope(const std::string& scope, const std::vector<std::string>& names)
{
    for (const std::string& name : names)
        if (!name.empty())
            Poco::Logger::destroy(scope + "." + name);
    Poco::Logger::destroy(scope);
}

Poco::Channel::Ptr defaultChannel()
{
    auto formatter = Poco::makeAuto<Poco::PatternFormatter>("%Y-%m-%d %H:%M:%S.%i %p %s: %t");
    return Poco::makeAuto<Poco::FormattingChannel>(formatter, Poco::makeAuto<Poco::ConsoleChannel>());
}

} // namespace

LogDispatcher::LogDispatcher()
    : routes_(std::make_shared<const Routes>(Routes{{"", Poco::Message::PRIO_INFORMATION, defaultChannel()}}))
{
}

void LogDispatcher::install(const Poco::AutoPtr<LogDispatcher>& dispatcher)
{
    Poco::Logger::setChannel("", dispatcher);
    Poco::Logger::setLevel("", Poco::Message::PRIO_TRACE);
}

LogDispatcher::Routing LogDispatcher::build(const Poco::Util::AbstractConfiguration& config)
{
    const auto logging = flattenConfig(config, "logging");
    checkLoggingValues(logging);

    // LoggingConfigurator serves as the factory of channels, formatters and levels: it sets
    // up loggers in a namespace of this generation's own, which nobody logs to, and the
    // table takes their levels and channels before they are destroyed again.
    const std::string scope = "tthost-logging-" + std::to_string(++generation_);
    auto copy = Poco::makeAuto<Poco::Util::MapConfiguration>();
    for (const auto& [key, value] : logging)
        copy->setString("logging." + key, value);
    std::vector<std::string> names{""};
    Poco::Util::AbstractConfiguration::Keys loggers;
    copy->keys("logging.loggers", loggers);
    for (const std::string& id : loggers)
    {
        const std::string name = Poco::trim(copy->getString("logging.loggers." + id + ".name", ""));
        copy->setString("logging.loggers." + id + ".name", name.empty() ? scope : scope + "." + name);
        names.push_back(name);
    }
    Poco::Logger::create(scope, defaultChannel(), Poco::Message::PRIO_INFORMATION);
    Routes routes;
    try
    {
        Poco::Util::LoggingConfigurator().configure(copy);
        for (const std::string& name : names)
        {
            const Poco::Logger& logger = Poco::Logger::get(name.empty() ? scope : scope + "." + name);
            if (std::none_of(routes.begin(), routes.end(), [&](const Route& r) { return r.name == name; }))
                routes.push_back({name, logger.getLevel(), logger.getChannel()});
        }
    }
    catch (const Poco::Exception& error)
    {
        destroyScope(scope, names);
        throw ConfigError("logging", error.displayText());
    }
    destroyScope(scope, names);

    std::sort(routes.begin(), routes.end(), [](const Route& a, const Route& b) { return a.name.size() > b.name.size(); });
    return std::make_shared<const Routes>(std::move(routes));
}

void LogDispatcher::use(Routing routing)
{
    std::lock_guard lock(mutex_);
    routes_ = std::move(routing);
}

const LogDispatcher::Route& LogDispatcher::routeFor(const Routes& routes, const std::string& source) const
{
    // The most specific configured ancestor, as Poco's own loggers inherit.
    for (const Route& route : routes)
        if (route.name.empty() ||
            (source.compare(0, route.name.size(), route.name) == 0 && (source.size() == route.name.size() || source[route.name.size()] == '.')))
            return route;
    return routes.back();
}

void LogDispatcher::log(const Poco::Message& message)
{
    std::shared_ptr<const Routes> routes;
    {
        std::lock_guard lock(mutex_);
        routes = routes_;
    }
    const Route& route = routeFor(*routes, message.getSource());
    Poco::Channel::Ptr channel = route.channel;
    if (message.getPriority() <= route.level && channel)
        channel->log(message);
}

} // namespace tthost
