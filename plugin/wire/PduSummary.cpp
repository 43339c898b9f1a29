#include "PduSummary.h"

#include "wire/ProtoWire.h"
#include "wire/ProtocolIds.h"

#include <algorithm>

namespace ttroute
{
namespace
{

using ProtoWire::WireType;

/// Field numbers the schemas use are below this.
constexpr std::uint32_t kFieldLimit = 32;

/// The last value of each varint field below kFieldLimit, as the generated parser keeps it.
struct Scalars
{
    std::uint64_t values[kFieldLimit]; // left unset: `present` says which were read (every PDU pays for this)
    std::uint32_t present = 0;

    bool has(std::uint32_t number) const { return (present >> number) & 1u; }
    /// Field `number`'s value, 0 when absent (as the generated parser's default).
    std::uint32_t operator[](std::uint32_t number) const { return has(number) ? static_cast<std::uint32_t>(values[number]) : 0; }

    /// " label VALUE" when field `number` is present.
    std::string field(const char* label, std::uint32_t number) const
    {
        return has(number) ? std::string(" ") + label + " " + std::to_string(values[number]) : std::string();
    }
};

Scalars readScalars(const char* data, std::size_t size)
{
    Scalars scalars;
    ProtoWire::Reader reader(data, size);
    ProtoWire::Field field;
    while (reader.next(field))
        if (field.type == WireType::Varint && field.number < kFieldLimit)
        {
            scalars.values[field.number] = field.value;
            scalars.present |= 1u << field.number;
        }
    return scalars;
}

/// Calls f(value) for each element of repeated varint field `number`, packed or not.
template <typename F>
void forEachVarint(const FrameView& frame, std::uint32_t number, F&& f)
{
    ProtoWire::Reader reader(frame.body(), frame.bodySize());
    ProtoWire::Field field;
    while (reader.next(field))
    {
        if (field.number != number)
            continue;
        if (field.type == WireType::Varint)
            f(static_cast<std::uint32_t>(field.value));
        else if (field.type == WireType::LengthDelimited)
        {
            auto at = reinterpret_cast<const unsigned char*>(field.data);
            const auto end = at + field.size;
            std::uint64_t value = 0;
            while (at < end && ProtoWire::getVarint(at, end, value))
                f(static_cast<std::uint32_t>(value));
        }
    }
}

const char* statusName(std::uint32_t status)
{
    switch (status)
    {
        case UserStatus::Online: return "online";
        case UserStatus::Offline: return "offline";
        case UserStatus::Leave: return "leave";
        default: return "unknown";
    }
}

/// " status online client_type windows" of a status update or ONLINE_USER_INFO entry.
std::string loginText(std::uint32_t status, std::uint32_t clientType)
{
    return std::string(" ") + statusName(status) + " " + clientTypeLabel(clientTypeSlot(clientType));
}

/// SessionType SESSION_TYPE_SINGLE (protocol.md §2): the session id is a user's.
constexpr std::uint32_t kSingleSession = 1;

} // namespace

bool PduSummary::mayConcern(const FrameView& frame, const std::vector<std::uint32_t>& followed)
{
    switch (frame.header.commandId)
    {
        case CommandId::MsgData:       // from_user_id, to_session_id
        case CommandId::MsgReadNotify: // user_id, session_id
        case CommandId::SwitchP2PCmd:  // from_user_id, to_user_id
        case CommandId::FileNotify:    // from_user_id, to_user_id
            break;
        default:
            return true;
    }
    // As every protobuf serialiser writes them: field 1 then field 2, both varints (keys 0x08
    // and 0x10), read in place; any other layout is read field by field below.
    const auto* at = reinterpret_cast<const unsigned char*>(frame.body());
    const auto* const end = at + frame.bodySize();
    std::uint64_t first = 0;
    std::uint64_t second = 0;
    if (end - at >= 4 && at[0] == 0x08 && ProtoWire::getVarint(++at, end, first) && at < end && *at == 0x10 &&
        ProtoWire::getVarint(++at, end, second))
        return isFollowed(followed, first) || isFollowed(followed, second);
    ProtoWire::Reader reader(frame.body(), frame.bodySize());
    ProtoWire::Field field;
    unsigned seen = 0; // bit 1: field 1, bit 2: field 2
    while (seen != 3 && reader.next(field))
    {
        if (field.type != WireType::Varint || (field.number != 1 && field.number != 2))
            continue;
        if (isFollowed(followed, field.value))
            return true;
        seen |= field.number;
    }
    return false;
}

PduSummary::PduSummary(const FrameView& frame, const std::vector<std::uint32_t>& followed)
    : PduSummary(frame, followed, false)
{
}

std::string PduSummary::ids() const
{
    // The users it concerns are all the followed ones the text needs (ONLINE_USER_INFO names them).
    return PduSummary(frame_, followedUsers_, true).ids_;
}

PduSummary::PduSummary(const FrameView& frame, const std::vector<std::uint32_t>& followed, bool describe)
    : frame_(frame)
{
    const auto concerns = [&](std::uint32_t user) { noteIfFollowed(followed, user); };
    const Scalars s = readScalars(frame.body(), frame.bodySize());
    switch (frame.header.commandId)
    {
        case CommandId::MsgData:
        {
            const bool single = !s.has(5) || isSingleChatMessage(s[5]);
            concerns(s[1]);
            if (single)
                concerns(s[2]);
            if (describe)
                ids_ = "from " + std::to_string(s[1]) + (single ? " to " : " to group ") + std::to_string(s[2]) + s.field("msg_id", 3);
            break;
        }
        case CommandId::MsgReadNotify:
            concerns(s[1]);
            if (s[4] == kSingleSession)
                concerns(s[2]);
            if (describe)
                ids_ = "user " + std::to_string(s[1]) + (s[4] == kSingleSession ? " session user " : " session group ") + std::to_string(s[2]) +
                       s.field("msg_id", 3);
            break;
        case CommandId::SwitchP2PCmd:
        case CommandId::FileNotify:
            concerns(s[1]);
            concerns(s[2]);
            if (describe)
                ids_ = "from " + std::to_string(s[1]) + " to " + std::to_string(s[2]);
            break;
        case CommandId::ServerKickUser:
            concerns(s[1]);
            if (describe)
                ids_ = "user " + std::to_string(s[1]) + " " + clientTypeLabel(clientTypeSlot(s[2])) + s.field("reason", 3);
            break;
        case CommandId::RemoveSessionNotify:
            concerns(s[1]);
            if (s[2] == kSingleSession)
                concerns(s[3]);
            if (describe)
                ids_ = "user " + std::to_string(s[1]) + (s[2] == kSingleSession ? " session user " : " session group ") + std::to_string(s[3]);
            break;
        case CommandId::SignInfoChangedNotify:
            concerns(s[1]);
            if (describe)
                ids_ = "user " + std::to_string(s[1]);
            break;
        case CommandId::GroupChangeMemberNotify:
        {
            concerns(s[1]);
            std::size_t changed = 0;
            forEachVarint(frame, 4, [&](std::uint32_t user) { concerns(user); });
            forEachVarint(frame, 5, [&](std::uint32_t user) {
                concerns(user);
                ++changed;
            });
            if (describe)
                ids_ = "user " + std::to_string(s[1]) + " group " + std::to_string(s[3]) + (s[2] == 1 ? " adds " : " removes ") +
                       std::to_string(changed) + " members";
            break;
        }
        case CommandId::UserStatusUpdate:
            concerns(s[2]);
            if (describe)
                ids_ = "user " + std::to_string(s[2]) + loginText(s[1], s[3]);
            break;
        case CommandId::UsersStatusRequest:
        {
            concerns(s[1]);
            std::size_t asked = 0;
            forEachVarint(frame, 2, [&](std::uint32_t user) {
                concerns(user);
                ++asked;
            });
            if (describe)
                ids_ = "from " + std::to_string(s[1]) + " asks " + std::to_string(asked) + " ids";
            break;
        }
        case CommandId::OnlineUserInfo:
        {
            std::size_t entries = 0;
            std::string listed;
            ProtoWire::Reader reader(frame.body(), frame.bodySize());
            ProtoWire::Field field;
            while (reader.next(field))
            {
                if (field.number != 1 || field.type != WireType::LengthDelimited)
                    continue;
                ++entries;
                const Scalars entry = readScalars(field.data, field.size);
                const std::size_t before = followedUsers_.size();
                concerns(entry[1]);
                if (describe && followedUsers_.size() != before)
                    listed += ", user " + std::to_string(entry[1]) + loginText(entry[2], entry[3]);
            }
            if (describe)
                ids_ = std::to_string(entries) + " entries" + listed;
            break;
        }
        default:
            break; // heartbeats, ROLE_SET, commands nobody routes: no user named
    }
}

void PduSummary::noteIfFollowed(const std::vector<std::uint32_t>& followed, std::uint32_t user)
{
    if (!isFollowed(followed, user))
        return;
    const auto at = std::lower_bound(followedUsers_.begin(), followedUsers_.end(), user);
    if (at == followedUsers_.end() || *at != user)
        followedUsers_.insert(at, user);
}

} // namespace ttroute
