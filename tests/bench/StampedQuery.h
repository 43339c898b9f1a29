#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ttbench
{

/// What a fleet's status query carries in its attach_data, which the route server copies
/// into the answer unchanged: whoever reads the answer knows what was asked and when,
/// without sharing any state with the thread that asked.
struct QueryStamp
{
    std::uint32_t querier = 0; ///< index of the querying connection among the queriers
    std::uint32_t request = 0; ///< which of that querier's prepared requests
    std::uint32_t phase = 0;   ///< the phase of the run it was sent in
    std::int64_t sentNs = 0;   ///< steady clock at sending

    /// The stamp held by `attach` (an answer's attach_data); nullopt when it is not an intact one.
    static std::optional<QueryStamp> read(const char* attach, std::size_t size);
};

/// A USERS_STATUS_REQUEST for fixed ids, serialised once; each copy gets a stamp in its
/// attach_data, written at a known offset.
class StampedQuery
{
public:
    /// A request from `requester` for `ids`.
    StampedQuery(std::uint32_t requester, std::vector<std::uint32_t> ids);

    /// Appends one copy carrying `stamp` to `out`.
    void appendTo(std::string& out, const QueryStamp& stamp) const;

    /// The ids asked about, in order.
    const std::vector<std::uint32_t>& ids() const { return ids_; }

private:
    std::string frame_;
    std::size_t stampOffset_ = 0;
    std::vector<std::uint32_t> ids_;
};

} // namespace ttbench
