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
    Reader(const char* data, std::size_t size);

    /// Reads the next field into `field`; false at the end of the message or when the bytes
    /// are malformed (then malformed() says so).
    bool next(Field& field);

    /// True when next() stopped at bytes that are not a valid message.
    bool malformed() const { return malformed_; }

private:
    bool readVarint(std::uint64_t& value);

    const unsigned char* at_;
    const unsigned char* end_;
    bool malformed_ = false;
};

/// Writes `value` as a varint at `at` (room for 10 bytes needed) and returns the end.
inline char* putVarint(char* at, std::uint64_t value)
{
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

/// Bytes `value` takes as a varint.
std::size_t varintSize(std::uint64_t value);

} // namespace ProtoWire
} // namespace ttroute
