#include "AddresseeFields.h"

namespace ttbench
{
namespace
{

constexpr std::uint32_t kVarint = 0;
constexpr std::uint32_t kFixed64 = 1;
constexpr std::uint32_t kLengthDelimited = 2;
constexpr std::uint32_t kFixed32 = 5;

constexpr std::uint32_t kToSessionIdField = 2;   ///< IMMsgData.to_session_id
constexpr std::uint32_t kUserStatListField = 1;  ///< IMOnlineUserInfo.user_stat_list
constexpr std::uint32_t kUserIdField = 1;        ///< ServerUserStat.user_id

/// A cursor over protobuf wire fields; any damage ends the walk.
class WireCursor
{
public:
    WireCursor(const char* data, std::size_t size)
        : at_(reinterpret_cast<const unsigned char*>(data))
        , end_(at_ + size)
    {
    }

    /// Reads the next field's key, and its value (a varint) or its span (length-delimited);
    /// false at the end or on damage.
    bool next()
    {
        std::uint64_t key = 0;
        if (at_ == end_ || !varint(key))
            return false;
        field_ = static_cast<std::uint32_t>(key >> 3);
        wireType_ = static_cast<std::uint32_t>(key & 7);
        switch (wireType_)
        {
            case kVarint:
                return varint(value_);
            case kFixed64:
                return skip(8);
            case kFixed32:
                return skip(4);
            case kLengthDelimited:
            {
                std::uint64_t length = 0;
                if (!varint(length) || length > static_cast<std::uint64_t>(end_ - at_))
                    return false;
                span_ = reinterpret_cast<const char*>(at_);
                value_ = length;
                at_ += length;
                return true;
            }
            default:
                return false;
        }
    }

    std::uint32_t field() const { return field_; }
    std::uint32_t wireType() const { return wireType_; }
    /// A varint field's value, or a length-delimited field's length.
    std::uint64_t value() const { return value_; }
    /// A length-delimited field's bytes.
    const char* span() const { return span_; }

private:
    bool varint(std::uint64_t& out)
    {
        out = 0;
        for (int shift = 0; shift < 64 && at_ != end_; shift += 7)
        {
            const unsigned char byte = *at_++;
            out |= std::uint64_t{byte & 0x7fu} << shift;
            if (byte < 0x80)
                return true;
        }
        return false;
    }

    bool skip(std::size_t bytes)
    {
        if (bytes > static_cast<std::size_t>(end_ - at_))
            return false;
        at_ += bytes;
        return true;
    }

    const unsigned char* at_;
    const unsigned char* end_;
    std::uint32_t field_ = 0;
    std::uint32_t wireType_ = 0;
    std::uint64_t value_ = 0;
    const char* span_ = nullptr;
};

} // namespace

std::optional<std::uint32_t> AddresseeFields::msgDataAddressee(const char* body, std::size_t size)
{
    WireCursor cursor(body, size);
    while (cursor.next())
        if (cursor.field() == kToSessionIdField && cursor.wireType() == kVarint)
            return static_cast<std::uint32_t>(cursor.value());
    return std::nullopt;
}

void AddresseeFields::listedUsers(const char* body, std::size_t size, std::vector<std::uint32_t>& users)
{
    WireCursor list(body, size);
    while (list.next())
    {
        if (list.field() != kUserStatListField || list.wireType() != kLengthDelimited)
            continue;
        WireCursor entry(list.span(), static_cast<std::size_t>(list.value()));
        while (entry.next())
            if (entry.field() == kUserIdField && entry.wireType() == kVarint)
            {
                users.push_back(static_cast<std::uint32_t>(entry.value()));
                break;
            }
    }
}

} // namespace ttbench
