#pragma once

#include <Poco/ErrorHandler.h>
#include <Poco/Logger.h>

namespace tthost
{

/// Logs exceptions that escape a Poco thread's work (e.g. a connection handler), which Poco's
/// default handler drops silently in release builds. Installed for the host's lifetime.
class LoggingErrorHandler : public Poco::ErrorHandler
{
public:
    /// Installs itself, logging to `logger`; the previous handler comes back on destruction.
    explicit LoggingErrorHandler(Poco::Logger& logger);
    ~LoggingErrorHandler() override;
    LoggingErrorHandler(const LoggingErrorHandler&) = delete;
    LoggingErrorHandler& operator=(const LoggingErrorHandler&) = delete;

    /// Logs a Poco exception.
    void exception(const Poco::Exception& error) override;
    /// Logs a standard exception.
    void exception(const std::exception& error) override;
    /// Logs that something unknown was thrown.
    void exception() override;

private:
    Poco::Logger& logger_;
    Poco::ErrorHandler* previous_;
};

} // namespace tthost
