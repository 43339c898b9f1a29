#include "StatusQuery.h"

#include "wire/Frame.h"
#include "wire/ProtoWire.h"
#include "wire/ProtocolIds.h"

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
    // An unpacked id takes two bytes at least: room for all of them, written by pointer.
    ids_.resize(size / 2 + 1);
    std::uint32_t* id = ids_.data();
    attachData_ = nullptr;
    attachSize_ = 0;
    bool hasRequester = false;
    const auto* at = reinterpret_cast<const unsigned char*>(body);
    const auto* end = at + size;
    // The unpacked id, the way TeamTalk's msg servers send them, is most of every request:
    // it gets a loop of its own; every other field goes through the general reader.
    constexpr unsigned char kUnpackedIdKey = (kIdListField << 3) | static_cast<unsigned char>(WireType::Varint);
    while (at < end)
    {
        std::uint64_t value = 0;
        if (*at == kUnpackedIdKey)
        {
            ++at;
            if (!ProtoWire::getVarint(at, end, value))
                return false;
            *id++ = static_cast<std::uint32_t>(value);
            continue;
        }
        ProtoWire::Reader reader(reinterpret_cast<const char*>(at), static_cast<std::size_t>(end - at));
        ProtoWire::Field field;
        if (!reader.next(field))
            return false;
        at = reader.position();
        // A known field with another wire type is an unknown field to protobuf: skipped.
        if (field.number == kUserIdField && field.type == WireType::Varint)
        {
            requester_ = static_cast<std::uint32_t>(field.value);
            hasRequester = true;
        }
        else if (field.number == kIdListField && field.type == WireType::LengthDelimited)
        {
            // Packed: a run of varints, at least one byte each.
            const auto* packed = reinterpret_cast<const unsigned char*>(field.data);
            const auto* packedEnd = packed + field.size;
            const std::size_t written = static_cast<std::size_t>(id - ids_.data());
            ids_.resize(written + field.size + static_cast<std::size_t>(end - at) / 2 + 1);
            id = ids_.data() + written;
            while (packed < packedEnd)
            {
                if (!ProtoWire::getVarint(packed, packedEnd, value))
                    return false;
                *id++ = static_cast<std::uint32_t>(value);
            }
        }
        else if (field.number == kAttachDataField && field.type == WireType::LengthDelimited)
        {
            attachData_ = field.data;
            attachSize_ = field.size;
        }
    }
    ids_.resize(static_cast<std::size_t>(id - ids_.data()));
    return hasRequester;
}

void StatusQuery::appendAnswer(std::string& out, std::uint16_t seqNum, std::size_t count, const std::vector<std::uint8_t>& online) const
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
        // UserStat { user_id = 1; status = 2; }: keys, length and status take one byte each;
        // the length is filled in once the id is written.
        *at++ = static_cast<char>((kIdListField << 3) | static_cast<std::uint32_t>(WireType::LengthDelimited));
        char* length = at++;
        *at++ = static_cast<char>((kStatUserIdField << 3) | static_cast<std::uint32_t>(WireType::Varint));
        at = ProtoWire::putVarint(at, ids_[i]);
        *at++ = static_cast<char>((kStatStatusField << 3) | static_cast<std::uint32_t>(WireType::Varint));
        *at++ = static_cast<char>(online[i] ? UserStatus::Online : UserStatus::Offline);
        *length = static_cast<char>(at - length - 1);
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
