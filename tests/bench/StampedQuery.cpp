#include "StampedQuery.h"

#include "BenchProtocol.h"

#include "IM.Buddy.pb.h"

#include <cstring>

namespace ttbench
{
namespace
{

constexpr char kMarker[] = "TTBENCH-QUERY-STAMP-HERE";
constexpr std::size_t kStampBytes = 24; ///< u32 querier, u32 request, u32 phase, i64 time, u32 check
static_assert(sizeof kMarker - 1 == kStampBytes, "the marker covers the stamp exactly");

template <typename T>
void put(char* at, T value)
{
    std::memcpy(at, &value, sizeof value);
}

template <typename T>
T get(const char* at)
{
    T value;
    std::memcpy(&value, at, sizeof value);
    return value;
}

/// A check word: a damaged stamp must not pass for another query's.
std::uint32_t check(const QueryStamp& stamp)
{
    std::uint64_t mixed = (static_cast<std::uint64_t>(stamp.sentNs) + 0x9E3779B97F4A7C15ull) * 0xBF58476D1CE4E5B9ull;
    mixed ^= ((std::uint64_t{stamp.querier} << 40) ^ (std::uint64_t{stamp.phase} << 32) ^ stamp.request) * 0x94D049BB133111EBull;
    return static_cast<std::uint32_t>(mixed ^ (mixed >> 31) ^ (mixed >> 47));
}

} // namespace

std::optional<QueryStamp> QueryStamp::read(const char* attach, std::size_t size)
{
    if (attach == nullptr || size != kStampBytes)
        return std::nullopt;
    QueryStamp stamp;
    stamp.querier = get<std::uint32_t>(attach);
    stamp.request = get<std::uint32_t>(attach + 4);
    stamp.phase = get<std::uint32_t>(attach + 8);
    stamp.sentNs = get<std::int64_t>(attach + 12);
    if (get<std::uint32_t>(attach + 20) != check(stamp))
        return std::nullopt;
    return stamp;
}

StampedQuery::StampedQuery(std::uint32_t requester, std::vector<std::uint32_t> ids)
    : ids_(std::move(ids))
{
    IM::Buddy::IMUsersStatReq request;
    request.set_user_id(requester);
    for (std::uint32_t id : ids_)
        request.add_user_id_list(id);
    request.set_attach_data(kMarker, kStampBytes);
    frame_ = frame(2, 0x020a, 0, request.SerializeAsString());
    stampOffset_ = frame_.find(kMarker);
}

void StampedQuery::appendTo(std::string& out, const QueryStamp& stamp) const
{
    const std::size_t at = out.size();
    out += frame_;
    char* p = &out[at + stampOffset_];
    put(p, stamp.querier);
    put(p + 4, stamp.request);
    put(p + 8, stamp.phase);
    put(p + 12, stamp.sentNs);
    put(p + 20, check(stamp));
}

} // namespace ttbench
