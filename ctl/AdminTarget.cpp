#include "AdminTarget.h"

#include "CtlError.h"

#include <Poco/AutoPtr.h>
#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/Util/PropertyFileConfiguration.h>

#include <optional>

namespace ttctl
{
namespace
{

/// The keys ttctl reads from the properties file, if it has them.
struct FileSettings
{
    std::optional<std::string> listen;
    std::string token;
};

FileSettings readFile(const std::string& path)
{
    Poco::AutoPtr<Poco::Util::PropertyFileConfiguration> file(new Poco::Util::PropertyFileConfiguration(path));
    FileSettings settings;
    if (file->hasProperty("host.admin.listen"))
        settings.listen = file->getString("host.admin.listen");
    settings.token = file->getString("host.admin.token", "");
    return settings;
}

bool readable(const std::string& path)
{
    try
    {
        Poco::File file(path);
        return file.exists() && file.isFile() && file.canRead();
    }
    catch (const Poco::Exception&)
    {
        return false;
    }
}

} // namespace

AdminTarget::AdminTarget(Poco::Net::SocketAddress address, std::string token)
    : address_(std::move(address))
    , token_(std::move(token))
{
}

AdminTarget AdminTarget::resolve(const CommandLine& line, const char* environmentToken, const std::string& defaultConfig)
{
    FileSettings file;
    std::string filePath;
    if (line.config())
    {
        filePath = *line.config();
        try
        {
            file = readFile(filePath);
        }
        catch (const Poco::Exception& error)
        {
            throw CtlError::usage("cannot read --config " + filePath + ": " + error.displayText());
        }
    }
    else if (!defaultConfig.empty() && readable(defaultConfig))
    {
        filePath = defaultConfig;
        try
        {
            file = readFile(filePath);
        }
        catch (const Poco::Exception&)
        {
            file = {}; // the installed file is only a default: one ttctl cannot read is none
        }
    }

    std::string name;
    std::string where;
    if (line.admin())
    {
        name = *line.admin();
        where = "--admin";
    }
    else if (file.listen)
    {
        if (file.listen->empty())
            throw CtlError(CtlError::kUnreachable, "the admin endpoint is turned off: host.admin.listen is empty in " + filePath);
        name = *file.listen;
        where = "host.admin.listen in " + filePath;
    }
    else
        name = kDefaultAddress;

    std::string token = file.token;
    if (environmentToken && *environmentToken)
        token = environmentToken;
    if (line.token())
        token = *line.token();
    return AdminTarget(parseAddress(name, where), token);
}

Poco::Net::SocketAddress AdminTarget::parseAddress(const std::string& text, const std::string& where)
{
    // The address as the log shows it ("admin endpoint at http://127.0.0.1:8280/") is taken too.
    std::string address = text;
    if (address.rfind("http://", 0) == 0)
        address.erase(0, 7);
    if (!address.empty() && address.back() == '/')
        address.pop_back();
    if (address.find_first_not_of("0123456789") == std::string::npos && !address.empty())
        address = "127.0.0.1:" + address;
    try
    {
        Poco::Net::SocketAddress parsed(address);
        if (parsed.port() == 0)
            throw Poco::InvalidArgumentException("port 0");
        if (parsed.host().isWildcard())
            parsed = Poco::Net::SocketAddress(parsed.family() == Poco::Net::AddressFamily::IPv6 ? "::1" : "127.0.0.1", parsed.port());
        return parsed;
    }
    catch (const Poco::Exception& error)
    {
        throw CtlError::usage((where.empty() ? std::string("'") : where + ": '") + text + "' is not HOST:PORT (" + error.displayText() + ")");
    }
}

} // namespace ttctl
