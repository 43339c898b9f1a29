#include "RelayTargets.h"

#include "wire/ProtoWire.h"
#include "wire/ProtocolIds.h"

#include <cassert>
#include <initializer_list>
#include <optional>

namespace ttroute
{
namespace
{

using ProtoWire::WireType;

/// Field numbers the schemas use are below this.
constexpr std::uint32_t kFieldLimit = 32;

/// What the generated parser wants of one required field.
struct RequiredField
{
    std::uint32_t number;
    WireType type;
    std::initializer_list<std::uint32_t> values; ///< an enum's values (each below 32); empty for other fields
};

class TargetSchema;

/// A repeated message field whose elements the generated parser checks: its number and the
/// elements' schema.
struct NestedField
{
    std::uint32_t number = 0;
    const TargetSchema* schema = nullptr;
};

/// A message the generated parser checks, as a table by field number: which fields are
/// required, with which wire type and, for enums, which values; which of them name the users;
/// and which repeated field holds messages it checks in turn.
class TargetSchema
{
public:
    TargetSchema(std::initializer_list<RequiredField> required, std::initializer_list<std::uint32_t> targets,
                 std::uint32_t singleChatTypeField = 0, NestedField nested = {})
        : singleChatTypeField_(singleChatTypeField)
        , nested_(nested)
    {
        for (const RequiredField& field : required)
        {
            Rule& rule = rules_[field.number];
            rule.required = true;
            rule.type = field.type;
            for (std::uint32_t value : field.values)
            {
                assert(value < 32 && "enum values are kept as a 32-bit mask");
                rule.enumValues |= 1u << value;
            }
            requiredMask_ |= 1u << field.number;
        }
        for (std::uint32_t target : targets)
            targets_[targetCount_++] = target;
    }

    /// The users of a body, or nullopt when the generated parser would reject it.
    std::optional<RelayTargets> read(const char* body, std::size_t size) const
    {
        std::uint64_t values[kFieldLimit];
        if (!accepts(body, size, values))
            return std::nullopt;
        if (singleChatTypeField_ != 0 && !isSingleChatMessage(static_cast<std::uint32_t>(values[singleChatTypeField_])))
            return std::nullopt;
        RelayTargets targets;
        for (std::size_t i = 0; i < targetCount_; ++i)
            targets.users[targets.count++] = static_cast<std::uint32_t>(values[targets_[i]]);
        return targets;
    }

private:
    struct Rule
    {
        bool required = false;
        WireType type = WireType::Varint;
        std::uint32_t enumValues = 0; ///< bit v set for each value v of an enum; 0: not an enum
    };

    /// True when the generated parser accepts the body; `values` then holds the last value of
    /// each required field, as the parser keeps it. A known field with another wire type, or
    /// an enum value it does not know, goes to its unknown fields: the required field then
    /// counts as missing.
    bool accepts(const char* body, std::size_t size, std::uint64_t (&values)[kFieldLimit]) const
    {
        std::uint32_t present = 0;
        ProtoWire::Reader reader(body, size);
        ProtoWire::Field field;
        while (reader.next(field))
        {
            if (field.number >= kFieldLimit)
                continue;
            if (nested_.schema && field.number == nested_.number && field.type == WireType::LengthDelimited)
            {
                std::uint64_t ignored[kFieldLimit];
                if (!nested_.schema->accepts(field.data, field.size, ignored))
                    return false;
                continue;
            }
            const Rule& rule = rules_[field.number];
            if (!rule.required || rule.type != field.type || !allowed(rule, field.value))
                continue;
            values[field.number] = field.value;
            present |= 1u << field.number;
        }
        return !reader.malformed() && (present & requiredMask_) == requiredMask_;
    }

    static bool allowed(const Rule& rule, std::uint64_t value)
    {
        return rule.enumValues == 0 || (value < 32 && ((rule.enumValues >> value) & 1u) != 0);
    }

    Rule rules_[kFieldLimit];
    std::uint32_t requiredMask_ = 0;
    std::uint32_t targets_[2] = {};
    std::size_t targetCount_ = 0;
    std::uint32_t singleChatTypeField_;
    NestedField nested_;
};

constexpr std::initializer_list<std::uint32_t> kNotAnEnum = {};

// Field numbers and types of protocol.md §3.
const TargetSchema kMsgData({{1, WireType::Varint, kNotAnEnum},
                             {2, WireType::Varint, kNotAnEnum},
                             {3, WireType::Varint, kNotAnEnum},
                             {4, WireType::Varint, kNotAnEnum},
                             {5, WireType::Varint, {0x01, 0x02, 0x11, 0x12}},
                             {6, WireType::LengthDelimited, kNotAnEnum}},
                            {1, 2}, 5);
const TargetSchema kP2PCmd({{1, WireType::Varint, kNotAnEnum}, {2, WireType::Varint, kNotAnEnum}, {3, WireType::LengthDelimited, kNotAnEnum}},
                           {1, 2});
const TargetSchema kIpAddr({{1, WireType::LengthDelimited, kNotAnEnum}, {2, WireType::Varint, kNotAnEnum}}, {});
const TargetSchema kFileNotify({{1, WireType::Varint, kNotAnEnum},
                                {2, WireType::Varint, kNotAnEnum},
                                {3, WireType::LengthDelimited, kNotAnEnum},
                                {4, WireType::Varint, kNotAnEnum},
                                {5, WireType::LengthDelimited, kNotAnEnum},
                                {7, WireType::Varint, {1, 2}},
                                {8, WireType::Varint, kNotAnEnum}},
                               {2}, 0, {6, &kIpAddr});
const TargetSchema kReadNotify({{1, WireType::Varint, kNotAnEnum},
                                {2, WireType::Varint, kNotAnEnum},
                                {3, WireType::Varint, kNotAnEnum},
                                {4, WireType::Varint, {1, 2}}},
                               {1});
const TargetSchema kKickUser({{1, WireType::Varint, kNotAnEnum}, {2, WireType::Varint, {0x01, 0x02, 0x11, 0x12}}, {3, WireType::Varint, kNotAnEnum}},
                             {1});
const TargetSchema kRemoveSession({{1, WireType::Varint, kNotAnEnum}, {2, WireType::Varint, {1, 2}}, {3, WireType::Varint, kNotAnEnum}},
                                  {1});

const TargetSchema* schemaOf(std::uint16_t commandId)
{
    switch (commandId)
    {
        case CommandId::MsgData: return &kMsgData;
        case CommandId::SwitchP2PCmd: return &kP2PCmd;
        case CommandId::FileNotify: return &kFileNotify;
        case CommandId::MsgReadNotify: return &kReadNotify;
        case CommandId::ServerKickUser: return &kKickUser;
        case CommandId::RemoveSessionNotify: return &kRemoveSession;
        default: return nullptr;
    }
}

} // namespace

std::optional<RelayTargets> relayTargets(const FrameView& frame)
{
    const TargetSchema* schema = schemaOf(frame.header.commandId);
    return schema ? schema->read(frame.body(), frame.bodySize()) : std::nullopt;
}

} // namespace ttroute
