#pragma once

#include "tthost/ServerPlugin.h"

#include <Poco/AutoPtr.h>
#include <Poco/ClassLoader.h>
#include <Poco/Net/TCPServer.h>
#include <Poco/ThreadPool.h>
#include <Poco/Timespan.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace tttest
{

/// A plugin library loaded with Poco::ClassLoader, its RoutePlugin started with `route.*`
/// settings and served by a Poco TCPServer on 127.0.0.1:<ephemeral>, the way tthost does it,
/// with everything it logs captured in memory.
///
/// Tears down in the order the plugin contract demands: stop accepting, stop the plugin,
/// join the connection threads, destroy server and plugin, and only then unload the library.
class ServedPlugin
{
public:
    /// Keys below "route." and their values, e.g. {"idle_timeout", "2s"}.
    using Settings = std::vector<std::pair<std::string, std::string>>;

    /// Loads the library at `pluginPath` (e.g. TTROUTE_PLUGIN_PATH), starts its RoutePlugin
    /// with `settings` and serves it; throws what start() throws (tthost::ConfigError for a
    /// bad setting), after undoing whatever was done already.
    explicit ServedPlugin(const std::string& pluginPath, const Settings& settings = {});

    /// shutdown().
    ~ServedPlugin();

    ServedPlugin(const ServedPlugin&) = delete;
    ServedPlugin& operator=(const ServedPlugin&) = delete;

    /// The most connections served at once, each by a thread of its own; the pool holds no
    /// more threads for them than that.
    static constexpr int kMaxConnectionThreads = 24;

    /// The port the server listens on, on 127.0.0.1.
    std::uint16_t port() const { return port_; }

    /// The plugin instance.
    tthost::ServerPlugin& plugin() { return *plugin_; }

    /// Everything logged so far, one message per line.
    std::string log() const;

    /// Waits until the log contains `needle` (log lines are written by connection threads,
    /// sometimes just after the socket event the test saw); false after `timeout`.
    bool waitForLog(const std::string& needle, std::chrono::milliseconds timeout = std::chrono::seconds(5)) const;

    /// The first log line containing every one of `parts`, waiting up to `timeout`; empty if none.
    std::string waitForLine(const std::vector<std::string>& parts, std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;

    /// From now on, a thread that logs waits inside the log call until releaseLog(): a test
    /// holds a connection's thread at a known point this way, as a page fault or a busy
    /// machine might hold it anywhere.
    void holdLog();

    /// Waits until a thread waits in a held log call; false after `timeout`.
    bool waitForHeldLogWriter(std::chrono::milliseconds timeout = std::chrono::seconds(5)) const;

    /// Lets the threads held by holdLog() log and go on; logging no longer waits.
    void releaseLog();

    /// The listener stops accepting; existing connections go on.
    void stopAccepting();

    /// The plugin's stop(), once.
    void stopPlugin(Poco::Timespan drain = Poco::Timespan(2, 0));

    /// Puts `settings` in force as a reload does: validate(), then reconfigure().
    void reconfigure(const Settings& settings);

    /// The value of one sample of the plugin's metrics, written as on the page, e.g.
    /// "ttroute_peer_loss_users_total{outcome=\"held\"}"; fails the test when there is none.
    double metric(const std::string& sample);

    /// Waits until metric(`sample`) is `value`; false after `timeout`.
    bool waitForMetric(const std::string& sample, double value, std::chrono::milliseconds timeout = std::chrono::seconds(10));

    /// Releases a held log, stops accepting, stops the plugin, joins the connection threads,
    /// destroys server and plugin and unloads the library; idempotent.
    void shutdown();

private:
    class LogCapture;

    std::string pluginPath_;
    std::string loggerName_; ///< of its own, so that several instances keep their logs apart
    Poco::AutoPtr<LogCapture> channel_;
    Poco::ClassLoader<tthost::ServerPlugin> loader_;
    Poco::ThreadPool threads_;
    std::unique_ptr<tthost::ServerPlugin> plugin_;
    std::unique_ptr<Poco::Net::TCPServer> server_;
    std::uint16_t port_ = 0;
    bool loaded_ = false;
    bool started_ = false;
    bool pluginStopped_ = false;
};

} // namespace tttest
