#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace google::protobuf
{
class MessageLite;
}

namespace ttroute
{

/// Size of the fixed PDU header of protocol.md §1.
constexpr std::size_t kFrameHeaderSize = 16;

/// The 16-byte PDU header of protocol.md §1, in host byte order.
struct FrameHeader
{
    std::uint32_t length = 0; ///< whole PDU, header included
    std::uint16_t version = 1;
    std::uint16_t flag = 0;
    std::uint16_t serviceId = 0;
    std::uint16_t commandId = 0;
    std::uint16_t seqNum = 0;
    std::uint16_t reserved = 0;
};

/// Reads a big-endian header from `bytes` (at least kFrameHeaderSize of them).
FrameHeader readFrameHeader(const char* bytes);

/// Writes `header` big-endian into `bytes` (at least kFrameHeaderSize of them).
void writeFrameHeader(const FrameHeader& header, char* bytes);

/// One whole PDU inside a buffer that someone else owns.
struct FrameView
{
    FrameHeader header;
    const char* bytes = nullptr; ///< the whole PDU, header included; header.length bytes

    /// The protobuf body after the header.
    const char* body() const { return bytes + kFrameHeaderSize; }

    /// Length of the body in bytes.
    std::size_t bodySize() const { return header.length - kFrameHeaderSize; }
};

/// Appends one PDU (header, then `body` serialised) to `out`. Used for everything we originate.
void appendFrame(std::string& out, std::uint16_t serviceId, std::uint16_t commandId, std::uint16_t seqNum,
                 const google::protobuf::MessageLite& body);

} // namespace ttroute
