#include "tthost/PluginLibrary.h"

#include "tthost/ConfigError.h"
#include "tthost/ServerPlugin.h"

#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/Path.h>
#include <Poco/SharedLibrary.h>

#include <dlfcn.h>

namespace tthost
{

std::string hostLibraryDirectory()
{
    // The library this function is in: where it was loaded from, whatever the prefix.
    Dl_info info{};
    if (::dladdr(reinterpret_cast<void*>(&hostLibraryDirectory), &info) == 0 || !info.dli_fname)
        return Poco::Path::current();
    std::string dir = Poco::Path(Poco::Path(info.dli_fname).absolute()).parent().toString();
    if (dir.size() > 1 && dir.back() == '/')
        dir.pop_back();
    return dir;
}

std::string locatePluginLibrary(const std::string& library, const std::string& key, const std::vector<std::string>& searchDirs)
{
    if (library.find('/') != std::string::npos)
    {
        if (!Poco::File(library).exists())
            throw ConfigError(key, "'" + library + "' does not exist");
        return Poco::Path(library).absolute().toString();
    }
    const std::string suffix = Poco::SharedLibrary::suffix();
    const bool fileName = library.size() > suffix.size() && library.compare(library.size() - suffix.size(), suffix.size(), suffix) == 0;
    const std::string file = fileName ? library : "lib" + library + suffix;
    // "libttroute.so" and "ttroute" both name the plugin ttroute, installed in <libdir>/ttroute/.
    std::string stem = fileName ? library.substr(0, library.size() - suffix.size()) : library;
    if (stem.rfind("lib", 0) == 0 && fileName)
        stem = stem.substr(3);
    std::vector<std::string> dirs = searchDirs;
    dirs.push_back(Poco::Path(Poco::Path::forDirectory(hostLibraryDirectory())).pushDirectory(stem).toString());
    std::string searched;
    for (const std::string& dir : dirs)
    {
        const std::string candidate = Poco::Path(Poco::Path::forDirectory(dir), file).toString();
        if (Poco::File(candidate).exists())
            return candidate;
        searched += (searched.empty() ? "" : ", ") + dir;
    }
    throw ConfigError(key, "cannot find " + file + " (searched " + searched + ")");
}

void checkPluginApi(const std::string& path, const std::string& key)
{
    Poco::SharedLibrary library;
    try
    {
        library.load(path);
    }
    catch (const Poco::Exception& error)
    {
        throw ConfigError(key, "cannot load " + path + ": " + error.displayText());
    }
    using VersionQuery = int (*)();
    const auto query = library.hasSymbol(kPluginApiSymbol) ? reinterpret_cast<VersionQuery>(library.getSymbol(kPluginApiSymbol)) : nullptr;
    const int version = query ? query() : 0;
    library.unload();
    if (!query)
        throw ConfigError(key, path + " states no plugin API version (no " + kPluginApiSymbol + "; built before versions were); this host needs version " +
                                   std::to_string(kPluginApiVersion));
    if (version != kPluginApiVersion)
        throw ConfigError(key, path + " is built for plugin API version " + std::to_string(version) + "; this host needs version " +
                                   std::to_string(kPluginApiVersion));
}

} // namespace tthost
