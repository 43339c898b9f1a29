#include "StatusAnswer.h"

namespace ttbench
{
namespace
{

/// Reads one protobuf varint; false when it runs past `end`.
bool readVarint(const unsigned char*& p, const unsigned char* end, std::uint64_t& value)
{
    value = 0;
    for (int shift = 0; p < end && shift < 64; shift += 7)
    {
        const unsigned char byte = *p++;
        value |= std::uint64_t{byte & 0x7Fu} << shift;
        if (!(byte & 0x80))
            return true;
    }
    return false;
}

} // namespace

bool StatusAnswer::read(const char* body, std::size_t size)
{
    requester = 0;
    attach = nullptr;
    attachSize = 0;
    stats.clear();
    const auto* p = reinterpret_cast<const unsigned char*>(body);
    const auto* end = p + size;
    bool requesterSeen = false;
    while (p < end)
    {
        std::uint64_t tag = 0;
        std::uint64_t value = 0;
        if (!readVarint(p, end, tag))
            return false;
        if (tag == (1 << 3 | 0))
        {
            if (!readVarint(p, end, value))
                return false;
            requester = static_cast<std::uint32_t>(value);
            requesterSeen = true;
        }
        else if (tag == (2 << 3 | 2) || tag == (20 << 3 | 2))
        {
            std::uint64_t length = 0;
            if (!readVarint(p, end, length) || length > static_cast<std::uint64_t>(end - p))
                return false;
            const unsigned char* fieldEnd = p + length;
            if (tag == (20 << 3 | 2))
            {
                attach = reinterpret_cast<const char*>(p);
                attachSize = static_cast<std::size_t>(length);
                p = fieldEnd;
                continue;
            }
            std::uint64_t userId = 0;
            std::uint64_t status = 0;
            while (p < fieldEnd)
            {
                std::uint64_t field = 0;
                if (!readVarint(p, fieldEnd, field) || !readVarint(p, fieldEnd, value))
                    return false;
                if (field == (1 << 3 | 0))
                    userId = value;
                else if (field == (2 << 3 | 0))
                    status = value;
            }
            stats.emplace_back(static_cast<std::uint32_t>(userId), static_cast<std::uint32_t>(status));
        }
        else
            return false;
    }
    return requesterSeen;
}

} // namespace ttbench
