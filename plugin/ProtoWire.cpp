#include "ProtoWire.h"

namespace ttroute
{
namespace ProtoWire
{

Reader::Reader(const char* data, std::size_t size)
    : at_(reinterpret_cast<const unsigned char*>(data))
    , end_(at_ + size)
{
}

bool Reader::next(Field& field)
{
    if (at_ == end_ || malformed_)
        return false;
    std::uint64_t key = 0;
    if (!getVarint(at_, end_, key))
    {
        malformed_ = true;
        return false;
    }
    field.number = static_cast<std::uint32_t>(key >> 3);
    if (field.number == 0 || (key >> 3) > 0x1FFFFFFF)
    {
        malformed_ = true;
        return false;
    }
    switch (key & 7)
    {
        case 0:
            field.type = WireType::Varint;
            if (getVarint(at_, end_, field.value))
                return true;
            break;
        case 1:
        case 5:
        {
            const std::size_t width = (key & 7) == 1 ? 8 : 4;
            if (static_cast<std::size_t>(end_ - at_) < width)
                break;
            field.type = (key & 7) == 1 ? WireType::Fixed64 : WireType::Fixed32;
            field.data = reinterpret_cast<const char*>(at_);
            field.size = width;
            at_ += width;
            return true;
        }
        case 2:
        {
            std::uint64_t length = 0;
            if (!getVarint(at_, end_, length) || length > static_cast<std::uint64_t>(end_ - at_))
                break;
            field.type = WireType::LengthDelimited;
            field.data = reinterpret_cast<const char*>(at_);
            field.size = static_cast<std::size_t>(length);
            at_ += length;
            return true;
        }
        default:
            break; // groups (3, 4) are not used by TeamTalk; 6 and 7 do not exist
    }
    malformed_ = true;
    return false;
}

} // namespace ProtoWire
} // namespace ttroute
