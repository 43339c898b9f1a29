#pragma once

#include "AdminClient.h"
#include "CommandLine.h"

#include <memory>
#include <ostream>

namespace ttctl
{

/// One of ttctl's commands: made from the command line (which it checks before anything is
/// asked of the server), then run against the admin endpoint.
class Command
{
public:
    virtual ~Command() = default;

    /// The command `line` names, with its arguments checked; throws CtlError::usage() for an
    /// unknown command or wrong arguments.
    static std::unique_ptr<Command> make(const CommandLine& line);

    /// Asks `client` and prints the result to `out` (the output of a success only; failures
    /// are thrown as CtlError).
    virtual void run(const AdminClient& client, std::ostream& out) const = 0;
};

} // namespace ttctl
