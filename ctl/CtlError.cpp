#include "CtlError.h"

namespace ttctl
{

CtlError::CtlError(Status status, const std::string& message)
    : std::runtime_error(message)
    , status_(status)
{
}

CtlError CtlError::usage(const std::string& message)
{
    return CtlError(kUsage, message + " (see ttctl --help)");
}

} // namespace ttctl
