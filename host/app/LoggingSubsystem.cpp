#include "LoggingSubsystem.h"

namespace tthost
{

LoggingSubsystem::LoggingSubsystem()
    : dispatcher_(Poco::makeAuto<LogDispatcher>())
{
    LogDispatcher::install(dispatcher_);
}

const char* LoggingSubsystem::name() const
{
    return "tthost.logging";
}

void LoggingSubsystem::initialize(Poco::Util::Application& app)
{
    dispatcher_->use(dispatcher_->build(app.config()));
}

void LoggingSubsystem::prepare(const Poco::Util::AbstractConfiguration& config)
{
    prepared_ = dispatcher_->build(config);
}

void LoggingSubsystem::discard() noexcept
{
    prepared_.reset();
}

void LoggingSubsystem::reinitialize(Poco::Util::Application& app)
{
    if (!prepared_)
        prepare(app.config());
    dispatcher_->use(std::move(prepared_));
    prepared_.reset();
}

void LoggingSubsystem::uninitialize()
{
}

} // namespace tthost
