#include "LoggingSetup.h"

#include "tthost/ConfigError.h"
#include "tthost/ConfigReader.h"

#include <Poco/AutoPtr.h>
#include <Poco/ConsoleChannel.h>
#include <Poco/Exception.h>
#include <Poco/FormattingChannel.h>
#include <Poco/Logger.h>
#include <Poco/LoggingFactory.h>
#include <Poco/String.h>
#include <Poco/PatternFormatter.h>
#include <Poco/Util/LoggingConfigurator.h>

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
void checkLoggingValues(const Poco::Util::AbstractConfiguration& config)
{
    for (const auto& [key, value] : flattenConfig(config, "logging"))
    {
        const std::string fullKey = "logging." + key;
        const std::string trimmed = Poco::trim(value);
        try
        {
            if (endsWith(key, ".level") && key.rfind("loggers.", 0) == 0)
                Poco::Logger::parseLevel(trimmed);
            else if (endsWith(key, ".class") && key.rfind("channels.", 0) == 0)
                Poco::LoggingFactory::defaultFactory().createChannel(trimmed);
            else if (endsWith(key, ".class") && key.rfind("formatters.", 0) == 0)
                Poco::LoggingFactory::defaultFactory().createFormatter(trimmed);
        }
        catch (const Poco::Exception&)
        {
            const bool level = endsWith(key, ".level");
            throw ConfigError(fullKey, "'" + value + "' is not a " +
                                           (level ? "log level (none, fatal, critical, error, warning, notice, information, debug, trace)"
                                                  : "known class"));
        }
    }
}

} // namespace

void configureLogging(Poco::Util::AbstractConfiguration::Ptr config)
{
    checkLoggingValues(*config);
    // Start from the defaults every time, so the logging in force depends on this
    // configuration alone, not on what an earlier one set.
    auto formatter = Poco::makeAuto<Poco::PatternFormatter>("%Y-%m-%d %H:%M:%S.%i %p %s: %t");
    auto channel = Poco::makeAuto<Poco::FormattingChannel>(formatter, Poco::makeAuto<Poco::ConsoleChannel>());
    Poco::Logger::setChannel("", channel);
    Poco::Logger::setLevel("", Poco::Message::PRIO_INFORMATION);
    Poco::Util::AbstractConfiguration::Keys sections;
    config->keys("logging", sections);
    if (sections.empty())
        return;
    try
    {
        Poco::Util::LoggingConfigurator configurator;
        configurator.configure(config);
    }
    catch (const Poco::Exception& error)
    {
        throw ConfigError("logging", error.displayText());
    }
}

} // namespace tthost
