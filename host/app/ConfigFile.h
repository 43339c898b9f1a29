#pragma once

#include <Poco/AutoPtr.h>
#include <Poco/Util/AbstractConfiguration.h>

#include <string>

namespace tthost
{

/// Reads tthost's configuration file at `path`: a properties file, or an original TeamTalk
/// routeserver.conf, translated (LegacyConfig). Throws ConfigError("--config-file", ...)
/// when the file cannot be read. A ConfigFileWatcher::Loader.
Poco::AutoPtr<Poco::Util::AbstractConfiguration> loadConfigFile(const std::string& path);

} // namespace tthost
