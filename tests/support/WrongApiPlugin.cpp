// A plugin library built against another plugin API version than its host's, to show that a
// host refuses it before calling into it: had the host asked it for its Poco manifest (the
// first call ClassLoader makes), the process would have aborted.
#include "tthost/ServerPlugin.h"

#include <Poco/Manifest.h>

#include <cstdlib>

extern "C" __attribute__((visibility("default"))) int tthostPluginApiVersion()
{
    return tthost::kPluginApiVersion + 1;
}

extern "C" __attribute__((visibility("default"))) bool pocoBuildManifest(Poco::ManifestBase*)
{
    std::abort();
}

extern "C" __attribute__((visibility("default"))) void pocoInitializeLibrary()
{
    std::abort();
}
