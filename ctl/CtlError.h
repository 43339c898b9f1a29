#pragma once

#include <stdexcept>
#include <string>

namespace ttctl
{

/// Why ttctl stops without doing what it was asked: the exit status that tells scripts, and
/// the one line that tells people (printed as "ttctl: " + what()).
class CtlError : public std::runtime_error
{
public:
    /// ttctl's exit statuses.
    enum Status
    {
        kRefused = 1,     ///< the admin endpoint said no (a 4xx or 5xx answer), or answered nonsense
        kUsage = 2,       ///< the command line is wrong, or a file it names cannot be read
        kUnreachable = 3, ///< the admin endpoint cannot be reached, or the connection broke
    };

    /// An error with exit status `status` and the one-line reason `message`.
    CtlError(Status status, const std::string& message);

    /// The exit status.
    Status status() const { return status_; }

    /// A usage error: `message` with the hint to --help appended.
    static CtlError usage(const std::string& message);

private:
    Status status_;
};

} // namespace ttctl
