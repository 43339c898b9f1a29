#include "StatusQuery.h"

#include "Frame.h"
#include "ProtoWire.h"
#include "ProtocolIds.h"

#include <algorithm>

namespace ttroute
{
namespace
{

constexpr std::uint32_t kUserIdField = 1;
constexpr std::uint32_t kIdListField = 2;
constexpr std::uint32_t kAttachDataField = 20;
constexpr std::uint32_t kStatUserIdField = 1;
constexpr std::uint32_t kStatStatusField = 2;

} // namespace

bool StatusQuery::parse(const char* body, std::size_t size)
{
    using ProtoWire::WireType;
    ids_.clear();
    attachData_ = nullptr;
    attachSize_ = 0;
    bool hasRequester = false;
    ProtoWire::Reader reader(body, size);
    ProtoWire::Field field;
    while (reader.next(field))
    {
        // A known field with another wire type is an unknown field to protobuf: skipped.
        if (field.number == kUserIdField && field.type == WireType::Varint)
        {
            requester_ = static_cast<std::uint32_t>(field.value);
            hasRequester = true;
        }
        else if (field.number == kIdListField && field.type == WireType::Varint)
            ids_.push_back(static_cast<std::uint32_t>(field.value));
        else if (field.number == kIdListField && field.type == WireType::LengthDelimited)
        {
            // Packed: a run of varints.
            const auto* at = reinterpret_cast<const unsigned char*>(field.data);
            const auto* end = at + field.size;
            while (at < end)
            {
                std::uint64_t value = 0;
                int shift = 0;
                for (;; shift += 7)
                {
                    if (at == end || shift >= 64)
                        return false;
                    const unsigned char byte = *at++;
                    value |= std::uint64_t{byte & 0x7Fu} << shift;
                    if ((byte & 0x80) == 0)
                        break;
                }
                ids_.push_back(static_cast<std::uint32_t>(value));
            }
        }
        else if (field.number == kAttachDataField && field.type == WireType::LengthDelimited)
        {
            attachData_ = field.data;
            attachSize_ = field.size;
        }
    }
    return !reader.malformed() && hasRequester;
}

void StatusQuery::appendAnswer(std::string& out, std::uint16_t seqNum, std::size_t count, const std::vector<bool>& online) const
{
    using ProtoWire::WireType;
    // Written through a pointer into room reserved up front: appending byte by byte would
    // cost more than the lookups. A UserStat takes at most 1 + 1 + 1 + 5 + 1 + 1 bytes.
    constexpr std::size_t kMaxStatBytes = 10;
    const std::size_t start = out.size();
    out.resize(start + kFrameHeaderSize + 2 * ProtoWire::kMaxVarintBytes + count * kMaxStatBytes + attachSize_ + 8);
    char* at = &out[start + kFrameHeaderSize];
    at = ProtoWire::putVarint(at, (kUserIdField << 3) | static_cast<std::uint32_t>(WireType::Varint));
    at = ProtoWire::putVarint(at, requester_);
    for (std::size_t i = 0; i < count; ++i)
    {
        const std::uint32_t id = ids_[i];
        // UserStat { user_id = 1; status = 2; }: both keys and the status take one byte each.
        *at++ = static_cast<char>((kIdListField << 3) | static_cast<std::uint32_t>(WireType::LengthDelimited));
        *at++ = static_cast<char>(3 + ProtoWire::varintSize(id));
        *at++ = static_cast<char>((kStatUserIdField << 3) | static_cast<std::uint32_t>(WireType::Varint));
        at = ProtoWire::putVarint(at, id);
        *at++ = static_cast<char>((kStatStatusField << 3) | static_cast<std::uint32_t>(WireType::Varint));
        *at++ = static_cast<char>(online[i] ? UserStatus::Online : UserStatus::Offline);
    }
    if (attachData_)
    {
        at = ProtoWire::putVarint(at, (kAttachDataField << 3) | static_cast<std::uint32_t>(WireType::LengthDelimited));
        at = ProtoWire::putVarint(at, attachSize_);
        std::copy(attachData_, attachData_ + attachSize_, at);
        at += attachSize_;
    }
    out.resize(static_cast<std::size_t>(at - out.data()));
    FrameHeader header;
    header.length = static_cast<std::uint32_t>(out.size() - start);
    header.serviceId = ServiceId::BuddyList;
    header.commandId = CommandId::UsersStatusResponse;
    header.seqNum = seqNum;
    writeFrameHeader(header, &out[start]);
}

} // namespace ttroute
