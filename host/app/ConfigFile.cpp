#include "ConfigFile.h"

#include "LegacyConfig.h"

#include "tthost/ConfigError.h"

#include <Poco/FileStream.h>
#include <Poco/StreamCopier.h>
#include <Poco/Util/PropertyFileConfiguration.h>

#include <sstream>

namespace tthost
{

Poco::AutoPtr<Poco::Util::AbstractConfiguration> loadConfigFile(const std::string& path)
{
    std::string text;
    try
    {
        Poco::FileInputStream in(path);
        Poco::StreamCopier::copyToString(in, text);
    }
    catch (const Poco::Exception& error)
    {
        throw ConfigError("--config-file", "cannot read '" + path + "': " + error.displayText());
    }
    if (LegacyConfig::recognises(text))
        return LegacyConfig::translate(text);
    std::istringstream in(text);
    return Poco::makeAuto<Poco::Util::PropertyFileConfiguration>(in);
}

} // namespace tthost
