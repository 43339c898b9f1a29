#pragma once

#include <Poco/Util/AbstractConfiguration.h>

namespace tthost
{

/// Sets up Poco logging from the standard logging.* keys of `config` (see Poco's
/// LoggingConfigurator), on top of the defaults: everything at information level and above
/// to the console with a time stamp. The result depends on `config` alone, so applying an
/// earlier configuration again restores its logging exactly. Throws ConfigError for an
/// unusable setting.
void configureLogging(Poco::Util::AbstractConfiguration::Ptr config);

} // namespace tthost
