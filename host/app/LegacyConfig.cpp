#include "LegacyConfig.h"

#include "tthost/ConfigError.h"

#include <Poco/NumberParser.h>
#include <Poco/String.h>

#include <map>
#include <sstream>

namespace tthost
{
namespace LegacyConfig
{
namespace
{

/// key → value of every "key=value" line, comments and blanks dropped.
std::map<std::string, std::string> parse(const std::string& text)
{
    std::map<std::string, std::string> values;
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line))
    {
        line = line.substr(0, line.find('#'));
        const auto equals = line.find('=');
        if (equals == std::string::npos)
            continue;
        const std::string key = Poco::trim(line.substr(0, equals));
        if (!key.empty())
            values[key] = Poco::trim(line.substr(equals + 1));
    }
    return values;
}

} // namespace

bool recognises(const std::string& text)
{
    const auto values = parse(text);
    for (const auto& entry : values)
        if (entry.first.find('.') != std::string::npos)
            return false;
    return values.count("ListenIP") > 0 || values.count("ListenMsgPort") > 0;
}

Poco::AutoPtr<Poco::Util::MapConfiguration> translate(const std::string& text)
{
    const auto values = parse(text);
    const auto ip = values.find("ListenIP");
    const auto port = values.find("ListenMsgPort");
    if (ip == values.end() || ip->second.empty())
        throw ConfigError("ListenIP", "missing: which address(es) to listen on, e.g. ListenIP=0.0.0.0");
    if (port == values.end())
        throw ConfigError("ListenMsgPort", "missing: which port to listen on, e.g. ListenMsgPort=8200");
    unsigned portNumber = 0;
    if (!Poco::NumberParser::tryParseUnsigned(port->second, portNumber) || portNumber > 65535)
        throw ConfigError("ListenMsgPort", "'" + port->second + "' is not a port number");

    std::string listen;
    std::istringstream addresses(ip->second);
    std::string address;
    while (std::getline(addresses, address, ';'))
    {
        address = Poco::trim(address);
        if (address.empty())
            continue;
        const bool ipv6 = address.find(':') != std::string::npos;
        listen += (listen.empty() ? "" : ",") + (ipv6 ? "[" + address + "]" : address) + ":" + std::to_string(portNumber);
    }
    auto config = Poco::makeAuto<Poco::Util::MapConfiguration>();
    config->setString("host.route.listen", listen);
    // The original has no admin endpoint, and an operator swapping binaries may not expect one.
    config->setString("host.admin.listen", "");
    return config;
}

} // namespace LegacyConfig
} // namespace tthost
