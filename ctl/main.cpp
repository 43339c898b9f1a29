// ttctl: the operator's command line over tthost's admin endpoint (see HelpText.cpp).
#include "AdminClient.h"
#include "AdminTarget.h"
#include "Command.h"
#include "CommandLine.h"
#include "CtlError.h"
#include "HelpText.h"

#include <csignal>
#include <cstdlib>
#include <iostream>

namespace
{

/// `text` on one line: a server's message could hold line breaks.
std::string oneLine(std::string text)
{
    for (char& c : text)
        if (c == '\n' || c == '\r')
            c = ' ';
    return text;
}

} // namespace

int main(int argc, char** argv)
{
    // A write to a connection the server closed must be an error, not the end of ttctl.
    std::signal(SIGPIPE, SIG_IGN);
    try
    {
        const ttctl::CommandLine line = ttctl::CommandLine::parse(argc, argv);
        if (line.help())
        {
            std::cout << ttctl::HelpText::manual(TTCTL_DEFAULT_CONFIG);
            return 0;
        }
        if (line.version())
        {
            std::cout << "ttctl " << TTCTL_VERSION << '\n';
            return 0;
        }
        const auto command = ttctl::Command::make(line);
        const ttctl::AdminClient client(ttctl::AdminTarget::resolve(line, std::getenv("TTCTL_TOKEN"), TTCTL_DEFAULT_CONFIG));
        command->run(client, std::cout);
        std::cout.flush();
        return 0;
    }
    catch (const ttctl::CtlError& error)
    {
        std::cerr << "ttctl: " << oneLine(error.what()) << std::endl;
        return error.status();
    }
    catch (const std::exception& error)
    {
        std::cerr << "ttctl: " << oneLine(error.what()) << std::endl;
        return ttctl::CtlError::kRefused;
    }
}
