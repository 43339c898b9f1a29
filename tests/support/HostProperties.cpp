// The properties file of a tthost under test, built key by key (HostProperties.h).
#include "HostProperties.h"

namespace tttest
{

HostProperties::HostProperties(const std::string& writtenBy)
{
    if (!writtenBy.empty())
        append("# written by " + writtenBy + "\n");
    set("host.route.listen", "127.0.0.1:0");
    set("host.admin.listen", "");
}

HostProperties& HostProperties::set(const std::string& key, const std::string& value)
{
    for (Line& line : lines_)
        if (line.key == key)
        {
            line.value = value;
            return *this;
        }
    lines_.push_back({key, value});
    return *this;
}

HostProperties& HostProperties::withAdmin()
{
    return set("host.admin.listen", "127.0.0.1:0");
}

HostProperties& HostProperties::quietConnections()
{
    set("route.heartbeat_interval", "1h");
    return set("route.idle_timeout", "1h");
}

HostProperties& HostProperties::append(const std::string& lines)
{
    lines_.push_back({"", lines});
    return *this;
}

std::string HostProperties::text() const
{
    std::string text;
    for (const Line& line : lines_)
    {
        if (line.key.empty())
            text += line.value;
        else
            text += line.key + (line.value.empty() ? " =" : " = " + line.value) + "\n";
    }
    return text;
}

} // namespace tttest
