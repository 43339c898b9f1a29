#include "FrameError.h"

namespace ttroute
{

FrameError::FrameError(const FrameHeader& header, const std::string& reason)
    : std::runtime_error(reason)
    , header_(header)
{
}

} // namespace ttroute
