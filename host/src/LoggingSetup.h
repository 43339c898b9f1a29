#pragma once

#include <Poco/Util/AbstractConfiguration.h>

namespace tthost
{

/// Sets up Poco logging from the standard logging.* keys of `config` (see Poco's
/// LoggingConfigurator). Without any logging.* key, everything at information level and
/// above goes to the console with a time stamp. Throws ConfigError for an unusable setting.
void configureLogging(Poco::Util::AbstractConfiguration::Ptr config);

} // namespace tthost
