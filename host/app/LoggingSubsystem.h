#pragma once

#include "LogDispatcher.h"

#include "tthost/ReconfigurableSubsystem.h"

#include <Poco/AutoPtr.h>

#include <memory>

namespace tthost
{

/// tthost's logging as a subsystem: Poco's standard logging.* keys of the application's
/// configuration, put in force through a LogDispatcher, at start and at every reload (checked
/// with the other subsystems, so a bad logging key rejects the whole reload).
class LoggingSubsystem : public ReconfigurableSubsystem
{
public:
    /// Makes every logger write through a new dispatcher (information and above to the
    /// console until initialize()); construct it before other threads log.
    LoggingSubsystem();

    /// "tthost.logging".
    const char* name() const override;

    /// Puts the logging.* keys in force; throws ConfigError naming the key.
    void initialize(Poco::Util::Application& app) override;

    /// Builds the routing of `config`, applying nothing.
    void prepare(const Poco::Util::AbstractConfiguration& config) override;

    /// Drops the routing prepare() built.
    void discard() noexcept override;

    /// Puts the prepared routing in force.
    void reinitialize(Poco::Util::Application& app) override;

    /// Nothing: the dispatcher keeps routing what is still logged.
    void uninitialize() override;

private:
    Poco::AutoPtr<LogDispatcher> dispatcher_;
    LogDispatcher::Routing prepared_;
};

} // namespace tthost
