#pragma once

#include "wire/Frame.h"

#include <stdexcept>
#include <string>

namespace ttroute
{

/// A header whose length field breaks the limits of protocol.md §1; the connection must close.
class FrameError : public std::runtime_error
{
public:
    /// `header` is the offending header, `reason` says which limit it broke.
    FrameError(const FrameHeader& header, const std::string& reason);

    /// The header as received.
    const FrameHeader& header() const noexcept { return header_; }

private:
    FrameHeader header_;
};

} // namespace ttroute
