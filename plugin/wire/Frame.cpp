#include "Frame.h"

#include <google/protobuf/message_lite.h>

namespace ttroute
{
namespace
{

std::uint16_t readU16(const char* p)
{
    const auto* u = reinterpret_cast<const unsigned char*>(p);
    return static_cast<std::uint16_t>((u[0] << 8) | u[1]);
}

std::uint32_t readU32(const char* p)
{
    const auto* u = reinterpret_cast<const unsigned char*>(p);
    return (std::uint32_t{u[0]} << 24) | (std::uint32_t{u[1]} << 16) | (std::uint32_t{u[2]} << 8) | u[3];
}

void writeU16(std::uint16_t value, char* p)
{
    p[0] = static_cast<char>(value >> 8);
    p[1] = static_cast<char>(value);
}

void writeU32(std::uint32_t value, char* p)
{
    p[0] = static_cast<char>(value >> 24);
    p[1] = static_cast<char>(value >> 16);
    p[2] = static_cast<char>(value >> 8);
    p[3] = static_cast<char>(value);
}

} // namespace

FrameHeader readFrameHeader(const char* bytes)
{
    FrameHeader header;
    header.length = readU32(bytes);
    header.version = readU16(bytes + 4);
    header.flag = readU16(bytes + 6);
    header.serviceId = readU16(bytes + 8);
    header.commandId = readU16(bytes + 10);
    header.seqNum = readU16(bytes + 12);
    header.reserved = readU16(bytes + 14);
    return header;
}

void writeFrameHeader(const FrameHeader& header, char* bytes)
{
    writeU32(header.length, bytes);
    writeU16(header.version, bytes + 4);
    writeU16(header.flag, bytes + 6);
    writeU16(header.serviceId, bytes + 8);
    writeU16(header.commandId, bytes + 10);
    writeU16(header.seqNum, bytes + 12);
    writeU16(header.reserved, bytes + 14);
}

void appendFrame(std::string& out, std::uint16_t serviceId, std::uint16_t commandId, std::uint16_t seqNum,
                 const google::protobuf::MessageLite& body)
{
    const std::size_t bodySize = body.ByteSizeLong();
    const std::size_t start = out.size();
    out.resize(start + kFrameHeaderSize + bodySize);
    FrameHeader header;
    header.length = static_cast<std::uint32_t>(kFrameHeaderSize + bodySize);
    header.serviceId = serviceId;
    header.commandId = commandId;
    header.seqNum = seqNum;
    writeFrameHeader(header, &out[start]);
    body.SerializeWithCachedSizesToArray(reinterpret_cast<std::uint8_t*>(&out[start + kFrameHeaderSize]));
}

} // namespace ttroute
