#pragma once

#include "Command.h"
#include "UserIds.h"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace ttctl
{

/// `ttctl trace ID... [--for DURATION]`: follows users (GET /trace) and prints the server's
/// text lines as they arrive, until the trace ends (the server says why in its last line).
/// A connection that breaks off first is a CtlError kUnreachable; Ctrl-C ends ttctl, and the
/// server ends the trace when it sees the connection gone.
class TraceCommand : public Command
{
public:
    /// The most a trace runs: the server's cap.
    static constexpr std::chrono::minutes kMaxFor{15};

    /// The server's default when --for is not given.
    static constexpr std::chrono::minutes kDefaultFor{5};

    /// How long after a trace should have ended ttctl still waits for its end.
    static constexpr std::chrono::seconds kGrace{60};

    /// The users of `arguments`, for `forDuration` (e.g. "30s"; none: the server's default).
    /// Throws CtlError::usage() for a duration that is not one, and with `json` (a trace is text).
    TraceCommand(const std::vector<std::string>& arguments, const std::optional<std::string>& forDuration, bool json);

    /// See the class comment.
    void run(const AdminClient& client, std::ostream& out) const override;

private:
    UserIds ids_;
    std::optional<std::string> for_;
    std::chrono::milliseconds length_;
};

} // namespace ttctl
