#include "ServedPlugin.h"

#include <Poco/Channel.h>
#include <Poco/Logger.h>
#include <Poco/Message.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/TCPServerParams.h>
#include <Poco/Util/MapConfiguration.h>

#include <cppunit/TestAssert.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <sstream>
#include <thread>

namespace tttest
{

/// Collects what the plugin logs, so tests can check that a rejection was logged and why; on
/// request, holds the threads that log.
class ServedPlugin::LogCapture : public Poco::Channel
{
public:
    void log(const Poco::Message& message) override
    {
        std::unique_lock lock(mutex_);
        if (holding_)
        {
            ++held_;
            changed_.notify_all();
            changed_.wait(lock, [this] { return !holding_; });
            --held_;
        }
        text_ += message.getText();
        text_ += '\n';
    }

    std::string text() const
    {
        std::lock_guard lock(mutex_);
        return text_;
    }

    // Not hold()/release(): release() is RefCountedObject's, which AutoPtr calls.
    void holdWriters()
    {
        std::lock_guard lock(mutex_);
        holding_ = true;
    }

    bool waitForHeldWriter(std::chrono::milliseconds timeout) const
    {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, timeout, [this] { return held_ > 0; });
    }

    void releaseWriters()
    {
        std::lock_guard lock(mutex_);
        holding_ = false;
        changed_.notify_all();
    }

private:
    mutable std::mutex mutex_;
    mutable std::condition_variable changed_;
    std::string text_;
    bool holding_ = false;
    int held_ = 0; ///< threads waiting in log()
};

namespace
{

/// The settings as the host hands them to a plugin: a view of the "route" section.
Poco::AutoPtr<Poco::Util::AbstractConfiguration> routeSection(const ServedPlugin::Settings& settings)
{
    auto config = Poco::makeAuto<Poco::Util::MapConfiguration>();
    for (const auto& [key, value] : settings)
        config->setString("route." + key, value);
    return config->createView("route");
}

} // namespace

ServedPlugin::ServedPlugin(const std::string& pluginPath, const Settings& settings)
    : pluginPath_(pluginPath)
    , channel_(new LogCapture)
    , threads_("it-conn", 2, 32)
{
    static std::atomic<int> instances{0};
    loggerName_ = "ttroute-integration-" + std::to_string(instances++);
    Poco::Logger& logger = Poco::Logger::get(loggerName_);
    logger.setChannel(channel_);
    logger.setLevel(Poco::Message::PRIO_DEBUG);
    try
    {
        loader_.loadLibrary(pluginPath_);
        loaded_ = true;
        plugin_.reset(loader_.create("RoutePlugin"));
        plugin_->start(*routeSection(settings), logger);
        started_ = true;

        Poco::Net::ServerSocket socket;
        socket.bind(Poco::Net::SocketAddress("127.0.0.1", 0), false, false);
        socket.listen(64);
        auto params = Poco::makeAuto<Poco::Net::TCPServerParams>();
        params->setMaxThreads(kMaxConnectionThreads);
        params->setMaxQueued(16);
        server_ = std::make_unique<Poco::Net::TCPServer>(plugin_->connectionFactory(), threads_, socket, params);
        server_->start();
        port_ = server_->socket().address().port();
    }
    catch (...)
    {
        shutdown();
        throw;
    }
}

ServedPlugin::~ServedPlugin()
{
    shutdown();
}

std::string ServedPlugin::log() const
{
    return channel_->text();
}

bool ServedPlugin::waitForLog(const std::string& needle, std::chrono::milliseconds timeout) const
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;)
    {
        if (log().find(needle) != std::string::npos)
            return true;
        if (std::chrono::steady_clock::now() >= deadline)
            return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

std::string ServedPlugin::waitForLine(const std::vector<std::string>& parts, std::chrono::milliseconds timeout) const
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;)
    {
        std::istringstream lines(log());
        for (std::string line; std::getline(lines, line);)
            if (std::all_of(parts.begin(), parts.end(), [&](const std::string& part) { return line.find(part) != std::string::npos; }))
                return line;
        if (std::chrono::steady_clock::now() >= deadline)
            return {};
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

void ServedPlugin::holdLog()
{
    channel_->holdWriters();
}

bool ServedPlugin::waitForHeldLogWriter(std::chrono::milliseconds timeout) const
{
    return channel_->waitForHeldWriter(timeout);
}

void ServedPlugin::releaseLog()
{
    channel_->releaseWriters();
}

void ServedPlugin::stopAccepting()
{
    if (server_)
        server_->stop();
}

void ServedPlugin::stopPlugin(Poco::Timespan drain)
{
    if (started_ && !pluginStopped_)
    {
        pluginStopped_ = true;
        plugin_->stop(drain);
    }
}

void ServedPlugin::reconfigure(const Settings& settings)
{
    const auto section = routeSection(settings);
    plugin_->validate(*section);
    plugin_->reconfigure(*section);
}

double ServedPlugin::metric(const std::string& sample)
{
    tthost::MetricsWriter metrics;
    plugin_->writeMetrics(metrics);
    std::istringstream lines(metrics.text());
    for (std::string line; std::getline(lines, line);)
        if (line.size() > sample.size() && line.compare(0, sample.size(), sample) == 0 && line[sample.size()] == ' ')
            return std::stod(line.substr(sample.size() + 1));
    CPPUNIT_FAIL("no sample " + sample + " among the plugin's metrics:\n" + metrics.text());
    return 0;
}

bool ServedPlugin::waitForMetric(const std::string& sample, double value, std::chrono::milliseconds timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (metric(sample) != value)
    {
        if (std::chrono::steady_clock::now() >= deadline)
            return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
}

void ServedPlugin::shutdown()
{
    // A thread held in a log call could not end, and joinAll() below would wait for it forever.
    releaseLog();
    stopAccepting();
    stopPlugin(Poco::Timespan(1, 0));
    threads_.joinAll();
    server_.reset();
    plugin_.reset();
    if (loaded_)
    {
        loaded_ = false;
        loader_.unloadLibrary(pluginPath_);
    }
}

} // namespace tttest
