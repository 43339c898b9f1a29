#include "RouterHarness.h"

#include "wire/Frame.h"

#include <Poco/Logger.h>
#include <Poco/NullChannel.h>

#include <algorithm>
#include <stdexcept>
#include <vector>

namespace tttest
{
namespace
{

Poco::Logger& quietLogger()
{
    // Debug level so the ignored-frame log lines are built too; a null channel keeps test output clean.
    Poco::Logger& logger = Poco::Logger::get("router-test");
    logger.setChannel(new Poco::NullChannel);
    logger.setLevel(Poco::Message::PRIO_DEBUG);
    return logger;
}

} // namespace

RouterHarness::RouterHarness(const ttroute::RouteSettings& routeSettings)
    : settings(routeSettings)
    , tracer(quietLogger())
    , router(presence, directory, settings, counters, tracer, quietLogger())
{
}

std::shared_ptr<RecordingPeer> RouterHarness::attach(ttroute::ConnectionId id, bool takesShared)
{
    auto peer = std::make_shared<RecordingPeer>(id, takesShared);
    router.attach(peer);
    return peer;
}

void RouterHarness::route(RecordingPeer& from, const std::string& stream)
{
    std::string buffer = stream;
    std::vector<ttroute::FrameView> frames;
    for (std::size_t at = 0; at < buffer.size();)
    {
        ttroute::FrameView view;
        view.header = ttroute::readFrameHeader(buffer.data() + at);
        view.bytes = buffer.data() + at;
        if (view.header.length < ttroute::kFrameHeaderSize || at + view.header.length > buffer.size())
            throw std::logic_error("test stream is not whole frames");
        frames.push_back(view);
        at += view.header.length;
    }
    router.route(from, frames, from.scratch);
    // The read buffer is reused after routing: nothing may still point into it.
    std::fill(buffer.begin(), buffer.end(), '\xA5');
}

} // namespace tttest
