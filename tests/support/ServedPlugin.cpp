#include "ServedPlugin.h"

#include <Poco/Channel.h>
#include <Poco/Logger.h>
#include <Poco/Message.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/TCPServerParams.h>
#include <Poco/Util/MapConfiguration.h>

#include <condition_variable>
#include <mutex>
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

ServedPlugin::ServedPlugin(const std::string& pluginPath, const Settings& settings)
    : pluginPath_(pluginPath)
    , channel_(new LogCapture)
    , threads_("it-conn", 2, 32)
{
    Poco::Logger& logger = Poco::Logger::get("ttroute-integration");
    logger.setChannel(channel_);
    logger.setLevel(Poco::Message::PRIO_DEBUG);
    try
    {
        loader_.loadLibrary(pluginPath_);
        loaded_ = true;
        plugin_.reset(loader_.create("RoutePlugin"));
        auto config = Poco::makeAuto<Poco::Util::MapConfiguration>();
        for (const auto& [key, value] : settings)
            config->setString("route." + key, value);
        // The host hands each plugin a view of its own section.
        plugin_->start(*config->createView("route"), logger);
        started_ = true;

        Poco::Net::ServerSocket socket;
        socket.bind(Poco::Net::SocketAddress("127.0.0.1", 0), false, false);
        socket.listen(64);
        auto params = Poco::makeAuto<Poco::Net::TCPServerParams>();
        params->setMaxThreads(24);
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

void ServedPlugin::reconfigure(const Settings& settings)
{
    auto config = Poco::makeAuto<Poco::Util::MapConfiguration>();
    for (const auto& [key, value] : settings)
        config->setString("route." + key, value);
    const Poco::AutoPtr<Poco::Util::AbstractConfiguration> section = config->createView("route");
    plugin_->validate(*section);
    plugin_->reconfigure(*section);
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
