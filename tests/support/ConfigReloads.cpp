// A running tthost's file replaced, and the reload line waited for (ConfigReloads.h).
#include "ConfigReloads.h"

namespace tttest
{

std::vector<std::string> reloadedAfterChange(const std::vector<std::string>& changes)
{
    std::vector<std::string> parts{"configuration reloaded after ", " changed: "};
    parts.insert(parts.end(), changes.begin(), changes.end());
    return parts;
}

FileReload reloadFile(const RunningHost& host, const std::string& properties, const std::vector<std::string>& changes)
{
    FileReload reload;
    reload.mark = host.mark();
    host.rewrite(properties);
    reload.line = host.waitForLine(reload.mark, reloadedAfterChange(changes));
    return reload;
}

} // namespace tttest
