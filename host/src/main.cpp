#include "HostApplication.h"

#include <Poco/Path.h>

#include <csignal>
#include <iostream>

int main(int argc, char** argv)
{
    // Block the stop signals before any thread exists, so every thread inherits the mask and
    // the main thread alone takes them with sigwait(). Writes to a closed socket must fail
    // with EPIPE instead of killing the process.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGQUIT);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    std::signal(SIGPIPE, SIG_IGN);

    try
    {
        tthost::HostApplication app(Poco::Path::current());
        return app.run(argc, argv);
    }
    catch (const std::exception& error)
    {
        std::cerr << "tthost: " << error.what() << std::endl;
        return Poco::Util::Application::EXIT_SOFTWARE;
    }
}
