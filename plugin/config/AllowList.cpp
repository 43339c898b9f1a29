#include "AllowList.h"

#include <arpa/inet.h>
#include <stdexcept>

namespace ttroute
{
namespace
{

Poco::Net::IPAddress unmapped(const Poco::Net::IPAddress& address)
{
    if (address.family() != Poco::Net::IPAddress::IPv6 || !address.isIPv4Mapped())
        return address;
    // The last four bytes of ::ffff:a.b.c.d are the IPv4 address.
    const auto* bytes = static_cast<const unsigned char*>(address.addr());
    return Poco::Net::IPAddress(bytes + 12, 4);
}

/// Strict parse of a dotted-quad or IPv6 address (inet_pton: no "10.1" shorthand).
bool parseAddress(const std::string& text, Poco::Net::IPAddress& address)
{
    unsigned char bytes[16];
    if (::inet_pton(AF_INET, text.c_str(), bytes) == 1)
        address = Poco::Net::IPAddress(bytes, 4);
    else if (::inet_pton(AF_INET6, text.c_str(), bytes) == 1)
        address = Poco::Net::IPAddress(bytes, 16);
    else
        return false;
    return true;
}

} // namespace

AllowList AllowList::parse(const std::vector<std::string>& entries)
{
    AllowList list;
    for (const std::string& entry : entries)
    {
        const auto slash = entry.find('/');
        Poco::Net::IPAddress address;
        if (!parseAddress(entry.substr(0, slash), address))
            throw std::invalid_argument("'" + entry + "' is not an IP address or CIDR range");
        const unsigned bits = address.family() == Poco::Net::IPAddress::IPv4 ? 32 : 128;
        unsigned prefix = bits;
        if (slash != std::string::npos)
        {
            const std::string digits = entry.substr(slash + 1);
            if (digits.empty() || digits.size() > 3 || digits.find_first_not_of("0123456789") != std::string::npos ||
                std::stoul(digits) > bits)
                throw std::invalid_argument("'" + entry + "' has a bad prefix length (0 to " + std::to_string(bits) + ")");
            prefix = static_cast<unsigned>(std::stoul(digits));
        }
        const Poco::Net::IPAddress mask(prefix, address.family());
        list.ranges_.push_back({address & mask, mask, prefix});
    }
    return list;
}

bool AllowList::allows(const Poco::Net::IPAddress& address) const
{
    if (ranges_.empty())
        return true;
    const Poco::Net::IPAddress candidate = unmapped(address);
    for (const Range& range : ranges_)
        if (range.network.family() == candidate.family() && (candidate & range.mask) == range.network)
            return true;
    return false;
}

std::string AllowList::toString() const
{
    if (ranges_.empty())
        return "everyone";
    std::string text;
    for (const Range& range : ranges_)
        text += (text.empty() ? "" : ", ") + range.network.toString() + "/" + std::to_string(range.prefix);
    return text;
}

} // namespace ttroute
