#pragma once

#include <cstddef>
#include <cstdint>

namespace ttroute
{

/// Reads and writes the protobuf wire format by hand, in place and without allocation,
/// where the generated classes would cost more than the work itself: the status query and
/// its answer, and the user ids of relayed PDUs.
namespace ProtoWire
{

/// Wire types of protobuf fields.
enum class WireType : std::uint8_t
{
    Varint = 0,
    Fixed64 = 1,
    LengthDelimited = 2,
    Fixed32 = 5,
};

/// One field as read from a message.
struct Field
{
    std::uint32_t number = 0;
    WireType type = WireType::Varint;
    std::uint64_t value = 0;     ///< a varint's value
    const char* data = nullptr;  ///< a length-delimited field's bytes
    std::size_t size = 0;        ///< their length
};

/// Walks the fields of one serialised message.
class Reader
{
public:
    /// Reads the `size` bytes at `data`, which must stay valid while the reader is used.
    Reader(const char* data, std::size_t size)
        : at_(reinterpret_cast<const unsigned char*>(data))
        , end_(at_ + size)
    {
    }

    /// Reads the next field into `field`; false at the end of the message or when the bytes
    /// are malformed (then malformed() says so).
    bool next(Field& field);

    /// True when next() stopped at bytes that are not a valid message.
    bool malformed() const { return malformed_; }

    /// Where the next field starts.
    const unsigned char* position() const { return at_; }

private:
    const unsigned char* at_;
    const unsigned char* end_;
    bool malformed_ = false;
};

/// Reads a varint at `at` (not past `end`) into `value` and advances `at`; false when the
/// bytes end first or the varint is longer than ten bytes.
inline bool getVarint(const unsigned char*& at, const unsigned char* end, std::uint64_t& value)
{
    if (at < end && *at < 0x80)
    {
        value = *at++; // one byte: keys and small values, the usual case
        return true;
    }
    if (end - at >= 4 && at[1] < 0x80)
    {
        value = (at[0] & 0x7Fu) | (std::uint64_t{at[1]} << 7);
        at += 2;
        return true;
    }
    if (end - at >= 4 && at[2] < 0x80)
    {
        value = (at[0] & 0x7Fu) | (std::uint64_t{at[1] & 0x7Fu} << 7) | (std::uint64_t{at[2]} << 14);
        at += 3; // user ids below two million
        return true;
    }
    value = 0;
    for (int shift = 0; shift < 64 && at < end; shift += 7)
    {
        const unsigned char byte = *at++;
        value |= std::uint64_t{byte & 0x7Fu} << shift;
        if ((byte & 0x80) == 0)
            return true;
    }
    return false;
}

/// Writes `value` as a varint at `at` (room for 10 bytes needed) and returns the end.
inline char* putVarint(char* at, std::uint64_t value)
{
    if (value < (1u << 21))
    {
        // Up to three bytes: every status and every user id below two million.
        if (value < 0x80)
        {
            *at++ = static_cast<char>(value);
            return at;
        }
        if (value < (1u << 14))
        {
            at[0] = static_cast<char>(value | 0x80);
            at[1] = static_cast<char>(value >> 7);
            return at + 2;
        }
        at[0] = static_cast<char>(value | 0x80);
        at[1] = static_cast<char>((value >> 7) | 0x80);
        at[2] = static_cast<char>(value >> 14);
        return at + 3;
    }
    while (value >= 0x80)
    {
        *at++ = static_cast<char>(value | 0x80);
        value >>= 7;
    }
    *at++ = static_cast<char>(value);
    return at;
}

/// The most bytes a varint takes.
constexpr std::size_t kMaxVarintBytes = 10;

inline bool Reader::next(Field& field)
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
