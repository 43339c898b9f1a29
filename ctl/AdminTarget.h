#pragma once

#include "CommandLine.h"

#include <Poco/Net/SocketAddress.h>

#include <string>

namespace ttctl
{

/// Where the admin endpoint is and the token for requests that change things, from the
/// command line, the environment and the properties file tthost reads:
///
/// - the address: --admin, else host.admin.listen of the properties file, else 127.0.0.1:8280
///   (a wildcard address such as 0.0.0.0 is reached on loopback);
/// - the token: --token, else $TTCTL_TOKEN, else host.admin.token of the properties file;
/// - the properties file: --config, else the installed one (`defaultConfig`) when it exists
///   and can be read.
class AdminTarget
{
public:
    /// The address used when nothing names one.
    static constexpr const char* kDefaultAddress = "127.0.0.1:8280";

    /// Resolves the target of `line`; `environmentToken` is $TTCTL_TOKEN (null when unset).
    /// Throws CtlError: kUsage for an address that is not HOST:PORT or a --config file that
    /// cannot be read, kUnreachable when the file turns the endpoint off.
    static AdminTarget resolve(const CommandLine& line, const char* environmentToken, const std::string& defaultConfig);

    /// The endpoint's address.
    const Poco::Net::SocketAddress& address() const { return address_; }

    /// The token, empty for none. Never printed.
    const std::string& token() const { return token_; }

private:
    AdminTarget(Poco::Net::SocketAddress address, std::string token);

    static Poco::Net::SocketAddress parseAddress(const std::string& text, const std::string& where);

    Poco::Net::SocketAddress address_;
    std::string token_;
};

} // namespace ttctl
