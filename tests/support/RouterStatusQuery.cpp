#include "RouterStatusQuery.h"

#include "WireFrames.h"

#include "IM.Buddy.pb.h"

#include <cppunit/extensions/HelperMacros.h>

namespace tttest
{

std::string statusOf(RouterHarness& harness, RecordingPeer& asker, const std::vector<std::uint32_t>& ids)
{
    asker.clear();
    harness.route(asker, statusRequest(1, 1, ids));
    const auto frames = asker.frames();
    CPPUNIT_ASSERT_EQUAL(std::size_t(1), frames.size());
    IM::Buddy::IMUsersStatRsp response;
    CPPUNIT_ASSERT(frames[0].parse(response));
    std::string out;
    for (const auto& stat : response.user_stat_list())
        out += (out.empty() ? "" : " ") + std::to_string(stat.user_id()) + "=" + std::to_string(stat.status());
    asker.clear();
    return out;
}

} // namespace tttest
