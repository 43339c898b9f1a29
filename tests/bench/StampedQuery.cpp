#include "StampedQuery.h"

#include "BenchProtocol.h"
#include "StampFields.h"

#include "IM.Buddy.pb.h"

namespace ttbench
{
namespace
{

constexpr char kMarker[] = "TTBENCH-QUERY-STAMP-HERE";
constexpr std::size_t kStampBytes = 24; ///< u32 querier, u32 request, u32 phase, i64 time, u32 check
static_assert(sizeof kMarker - 1 == kStampBytes, "the marker covers the stamp exactly");

/// The check word of a query's stamp.
std::uint32_t check(const QueryStamp& stamp)
{
    return stampCheckWord(static_cast<std::uint64_t>(stamp.sentNs),
                          (std::uint64_t{stamp.querier} << 40) ^ (std::uint64_t{stamp.phase} << 32) ^ stamp.request);
}

} // namespace

std::optional<QueryStamp> QueryStamp::read(const char* attach, std::size_t size)
{
    if (attach == nullptr || size != kStampBytes)
        return std::nullopt;
    QueryStamp stamp;
    stamp.querier = getStampField<std::uint32_t>(attach);
    stamp.request = getStampField<std::uint32_t>(attach + 4);
    stamp.phase = getStampField<std::uint32_t>(attach + 8);
    stamp.sentNs = getStampField<std::int64_t>(attach + 12);
    if (getStampField<std::uint32_t>(attach + 20) != check(stamp))
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
    putStampField(p, stamp.querier);
    putStampField(p + 4, stamp.request);
    putStampField(p + 8, stamp.phase);
    putStampField(p + 12, stamp.sentNs);
    putStampField(p + 20, check(stamp));
}

} // namespace ttbench
