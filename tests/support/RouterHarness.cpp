#include "RouterHarness.h"

#include "wire/Frame.h"

#include <Poco/Channel.h>
#include <Poco/Logger.h>
#include <Poco/Message.h>
#include <Poco/NullChannel.h>

#include <algorithm>
#include <mutex>
#include <stdexcept>
#include <vector>

namespace tttest
{
namespace
{

Poco::Logger& routerLogger()
{
    return Poco::Logger::get("router-test");
}

} // namespace

/// Keeps the router's lines in memory: out of the test output, for the test to read.
class RouterHarness::KeptLog : public Poco::Channel
{
public:
    void log(const Poco::Message& message) override
    {
        std::lock_guard lock(mutex_);
        text_ += message.getText();
        text_ += '\n';
    }

    std::string text() const
    {
        std::lock_guard lock(mutex_);
        return text_;
    }

private:
    mutable std::mutex mutex_;
    std::string text_;
};

RouterHarness::RouterHarness(const ttroute::RouteSettings& routeSettings)
    : settings(routeSettings)
    , tracer(routerLogger())
    , router(presence, directory, settings, counters, tracer, routerLogger())
    , log_(new KeptLog)
{
    // Debug level so the ignored-frame log lines are built too.
    routerLogger().setChannel(log_);
    routerLogger().setLevel(Poco::Message::PRIO_DEBUG);
}

RouterHarness::~RouterHarness()
{
    routerLogger().setChannel(new Poco::NullChannel);
}

std::string RouterHarness::log() const
{
    return log_->text();
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
