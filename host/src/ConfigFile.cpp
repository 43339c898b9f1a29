#include "ConfigFile.h"

#include "LegacyConfig.h"

#include "tthost/ConfigError.h"

#include <Poco/FileStream.h>
#include <Poco/StreamCopier.h>
#include <Poco/Util/PropertyFileConfiguration.h>

#include <sstream>
#include <sys/stat.h>

namespace tthost
{

FileStamp FileStamp::of(const std::string& path)
{
    struct stat status
    {
    };
    if (::stat(path.c_str(), &status) != 0)
        return {};
    return {static_cast<std::int64_t>(status.st_mtim.tv_sec) * 1000000000 + status.st_mtim.tv_nsec, static_cast<std::int64_t>(status.st_size),
            static_cast<std::uint64_t>(status.st_ino)};
}

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
