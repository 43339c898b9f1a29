#include "LoggingSetup.h"

#include "tthost/ConfigError.h"

#include <Poco/AutoPtr.h>
#include <Poco/ConsoleChannel.h>
#include <Poco/Exception.h>
#include <Poco/FormattingChannel.h>
#include <Poco/Logger.h>
#include <Poco/PatternFormatter.h>
#include <Poco/Util/LoggingConfigurator.h>

namespace tthost
{

void configureLogging(Poco::Util::AbstractConfiguration::Ptr config)
{
    if (!config->has("logging"))
    {
        auto formatter = Poco::makeAuto<Poco::PatternFormatter>("%Y-%m-%d %H:%M:%S.%i %p %s: %t");
        auto channel = Poco::makeAuto<Poco::FormattingChannel>(formatter, Poco::makeAuto<Poco::ConsoleChannel>());
        Poco::Logger::setChannel("", channel);
        Poco::Logger::setLevel("", Poco::Message::PRIO_INFORMATION);
        return;
    }
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
