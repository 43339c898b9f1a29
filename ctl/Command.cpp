#include "Command.h"

#include "CtlError.h"
#include "DrainCommand.h"
#include "PeersCommand.h"
#include "ReloadCommand.h"
#include "StatusCommand.h"
#include "TraceCommand.h"
#include "UserCommand.h"

namespace ttctl
{
namespace
{

void expectNoArguments(const CommandLine& line)
{
    if (!line.arguments().empty())
        throw CtlError::usage(line.command() + " takes no arguments, not '" + line.arguments().front() + "'");
}

} // namespace

std::unique_ptr<Command> Command::make(const CommandLine& line)
{
    const std::string& name = line.command();
    if (name == "status")
    {
        expectNoArguments(line);
        return std::make_unique<StatusCommand>(line.json());
    }
    if (name == "peers")
    {
        expectNoArguments(line);
        return std::make_unique<PeersCommand>(line.json());
    }
    if (name == "reload")
    {
        expectNoArguments(line);
        return std::make_unique<ReloadCommand>(line.json());
    }
    if (name == "user")
        return std::make_unique<UserCommand>(line.arguments(), line.json());
    if (name == "trace")
        return std::make_unique<TraceCommand>(line.arguments(), line.forDuration(), line.json());
    if (name == "drain")
        return std::make_unique<DrainCommand>(line.arguments(), line.json());
    throw CtlError::usage("unknown command '" + name + "'");
}

} // namespace ttctl
