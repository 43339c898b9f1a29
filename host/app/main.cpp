#include "Daemon.h"
#include "HostApplication.h"

#include <Poco/Path.h>

#include <algorithm>
#include <csignal>
#include <malloc.h>
#include <unistd.h>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

namespace
{

/// The command line with a relative --pidfile made absolute: --daemon changes to "/" before
/// Poco writes the file, and Poco deletes it at exit by the name it was given.
std::vector<std::string> arguments(int argc, char** argv, const std::string& startDirectory)
{
    std::vector<std::string> args(argv, argv + argc);
    for (std::size_t i = 1; i < args.size(); ++i)
    {
        std::string* path = nullptr;
        std::string prefix;
        if (args[i].rfind("--pidfile=", 0) == 0)
        {
            prefix = "--pidfile=";
            args[i] = args[i].substr(prefix.size());
            path = &args[i];
        }
        else if (args[i] == "--pidfile" && i + 1 < args.size())
            path = &args[++i];
        if (path && !path->empty())
        {
            Poco::Path absolute(*path);
            absolute.makeAbsolute(Poco::Path::forDirectory(startDirectory));
            *path = prefix + absolute.toString();
        }
    }
    return args;
}

} // namespace

int main(int argc, char** argv)
{
    // Block the signals tthost acts on before any thread exists, so every thread inherits the
    // mask and the main thread alone takes them with sigtimedwait(). Writes to a closed
    // socket must fail with EPIPE instead of killing the process.
    const sigset_t signals = tthost::HostApplication::handledSignals();
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    std::signal(SIGPIPE, SIG_IGN);
    // A thread per connection: with glibc's default of eight malloc arenas per core, a few
    // thousand threads spread memory over arenas that keep what they once held. One per core.
    mallopt(M_ARENA_MAX, static_cast<int>(std::max(1L, ::sysconf(_SC_NPROCESSORS_ONLN))));

    try
    {
        const std::string startDirectory = Poco::Path::current();
        std::vector<std::string> args = arguments(argc, argv, startDirectory);
        // --daemon is ours, not Poco's: Poco would fork before the configuration is read and
        // leave a bad one to a daemon whose stderr is /dev/null.
        std::optional<tthost::Daemon> daemon;
        const auto daemonOption = std::find(args.begin() + 1, args.end(), "--daemon");
        if (daemonOption != args.end())
        {
            args.erase(daemonOption);
            daemon.emplace(tthost::Daemon::detach());
        }
        tthost::HostApplication app(startDirectory, daemon ? &*daemon : nullptr);
        return app.run(args);
    }
    catch (const std::exception& error)
    {
        std::cerr << "tthost: " << error.what() << std::endl;
        return Poco::Util::Application::EXIT_SOFTWARE;
    }
}
