#pragma once

#include <Poco/AutoPtr.h>
#include <Poco/Util/AbstractConfiguration.h>

#include <cstdint>
#include <string>

namespace tthost
{

/// What identifies one version of a file on disk: it changes when the file is written or replaced.
struct FileStamp
{
    std::int64_t modifiedNs = -1; ///< -1 when the file does not exist
    std::int64_t size = -1;
    std::uint64_t inode = 0;

    /// The stamp of `path` now.
    static FileStamp of(const std::string& path);

    bool operator==(const FileStamp& other) const
    {
        return modifiedNs == other.modifiedNs && size == other.size && inode == other.inode;
    }
    bool operator!=(const FileStamp& other) const { return !(*this == other); }
};

/// Reads the configuration file at `path`: a properties file, or an original TeamTalk
/// routeserver.conf, translated (LegacyConfig). Throws ConfigError("--config-file", ...)
/// when the file cannot be read.
Poco::AutoPtr<Poco::Util::AbstractConfiguration> loadConfigFile(const std::string& path);

} // namespace tthost
