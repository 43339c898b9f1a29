#include "RouterHarness.h"

#include "wire/Frame.h"

#include <Poco/Channel.h>
#include <Poco/Logger.h>
#include <Poco/Message.h>
#include <Poco/NullChannel.h>

#include <algorithm>
#include <cstdint>
#include <mutex>
#include <stdexcept>
#include <vector>

namespace tttest
{
namespace
{

/// Keeps the router's lines in memory: out of the test output, for the test to read.
class KeptLog : public Poco::Channel
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

/// The logger of the harness at `harness`: one of its own, so that harnesses alive at the same
/// time keep their lines apart.
Poco::Logger& loggerOf(const RouterHarness* harness)
{
    Poco::Logger& logger = Poco::Logger::get("router-test-" + std::to_string(reinterpret_cast<std::uintptr_t>(harness)));
    logger.setLevel(Poco::Message::PRIO_DEBUG); // so the ignored-frame log lines are built too
    return logger;
}

} // namespace

RouterHarness::RouterHarness(const ttroute::RouteSettings& routeSettings)
    : settings(routeSettings)
    , tracer(loggerOf(this))
    , router(presence, directory, settings, counters, tracer, loggerOf(this))
{
    // A fresh log: an earlier harness at this address left its lines in the logger's last one.
    loggerOf(this).setChannel(new KeptLog);
}

RouterHarness::~RouterHarness()
{
    loggerOf(this).setChannel(new Poco::NullChannel); // frees the lines kept
}

std::string RouterHarness::log() const
{
    return static_cast<const KeptLog&>(*loggerOf(this).getChannel()).text();
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
