#include "LoggingErrorHandler.h"

#include <Poco/Exception.h>

namespace tthost
{

LoggingErrorHandler::LoggingErrorHandler(Poco::Logger& logger)
    : logger_(logger)
    , previous_(Poco::ErrorHandler::set(this))
{
}

LoggingErrorHandler::~LoggingErrorHandler()
{
    Poco::ErrorHandler::set(previous_);
}

void LoggingErrorHandler::exception(const Poco::Exception& error)
{
    logger_.error("unexpected error in a worker thread: " + error.displayText());
}

void LoggingErrorHandler::exception(const std::exception& error)
{
    logger_.error(std::string("unexpected error in a worker thread: ") + error.what());
}

void LoggingErrorHandler::exception()
{
    logger_.error("unexpected error in a worker thread: unknown exception");
}

} // namespace tthost
