#pragma once

#include <Poco/Net/IPAddress.h>

#include <string>
#include <vector>

namespace ttroute
{

/// Which remote addresses may connect: CIDR ranges, IPv4 and IPv6. An empty list allows everyone.
class AllowList
{
public:
    /// A list that allows everyone.
    AllowList() = default;

    /// Parses entries such as "10.0.0.0/8", "192.168.1.7" or "fd00::/8" (a bare address is a
    /// single host). Throws std::invalid_argument naming the first bad entry.
    static AllowList parse(const std::vector<std::string>& entries);

    /// True when `address` falls in one of the ranges, or the list is empty. An IPv4-mapped
    /// IPv6 address is matched as the IPv4 address it carries.
    bool allows(const Poco::Net::IPAddress& address) const;

    /// True when the list allows everyone.
    bool allowsEveryone() const { return ranges_.empty(); }

    /// The ranges as "a/n, b/m", or "everyone".
    std::string toString() const;

private:
    struct Range
    {
        Poco::Net::IPAddress network; ///< already masked
        Poco::Net::IPAddress mask;
        unsigned prefix;
    };

    std::vector<Range> ranges_;
};

} // namespace ttroute
