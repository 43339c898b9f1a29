#pragma once

#include <Poco/Channel.h>
#include <Poco/Util/AbstractConfiguration.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace tthost
{

/// The one channel every logger writes to: it sends each message on by the level and
/// channel that the logging.* keys give the message's logger, and a reload replaces that
/// routing whole, while other threads log.
///
/// Poco's loggers cannot be reconfigured safely while other threads use them (their level
/// and channel are plain fields). So they are set up once, all at trace level and all on
/// this dispatcher, and never touched again; the configured levels and channels live in an
/// immutable table that configure() swaps. Channels the old table used close when the last
/// message in flight through them is done.
class LogDispatcher : public Poco::Channel
{
    struct Route;

public:
    /// A routing table: which level and channel each configured logger has.
    using Routing = std::shared_ptr<const std::vector<Route>>;

    /// A dispatcher with the default routing: information and above to the console.
    LogDispatcher();

    /// Makes every Poco logger, existing and future, write to `dispatcher` at trace level.
    /// Call once, before other threads log.
    static void install(const Poco::AutoPtr<LogDispatcher>& dispatcher);

    /// The routing of `config` (Poco's standard logging.* keys, on top of the defaults), with
    /// its channels created, not yet in force. Throws ConfigError naming the key when a value
    /// is unusable.
    Routing build(const Poco::Util::AbstractConfiguration& config);

    /// Puts `routing` in force.
    void use(Routing routing);

    /// use(build(config)): the routing in force stays when `config` is unusable.
    void configure(const Poco::Util::AbstractConfiguration& config) { use(build(config)); }

    /// Sends `message` to the channel configured for its source, if its level passes.
    void log(const Poco::Message& message) override;

private:
    /// Where the messages of one configured logger (and its descendants) go.
    struct Route
    {
        std::string name; ///< logger name; "" for the root
        int level;
        Poco::Channel::Ptr channel;
    };
    using Routes = std::vector<Route>; ///< longest names first

    const Route& routeFor(const Routes& routes, const std::string& source) const;

    std::mutex mutex_;
    std::shared_ptr<const Routes> routes_;
    unsigned generation_ = 0;
};

} // namespace tthost
