#pragma once

#include <string>
#include <vector>

namespace tthost
{

/// The directory the tthost library was loaded from. Installed plugins live in directories of
/// their own below it: plugin "ttroute" in <it>/ttroute/libttroute.so.
std::string hostLibraryDirectory();

/// Where the plugin library `library` is. A name with a '/' is a path; a bare name ("ttroute"
/// or "libttroute.so") is looked up in each of `searchDirs`, then in its own directory below
/// hostLibraryDirectory(). Throws ConfigError for `key` (the configuration key that named it)
/// when there is no such file.
std::string locatePluginLibrary(const std::string& library, const std::string& key = "plugin library",
                                const std::vector<std::string>& searchDirs = {});

/// Checks that the plugin library at `path` was built for this host's kPluginApiVersion,
/// calling nothing in it but its version query; throws ConfigError for `key` naming both
/// versions when it was not, or when the library cannot be loaded at all.
void checkPluginApi(const std::string& path, const std::string& key = "plugin library");

} // namespace tthost
