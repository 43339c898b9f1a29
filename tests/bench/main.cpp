// ttbench: the route server's load generator. Acts as N fake msg servers against a route
// server on this machine and reports throughput, latency, losses and the server's cost.
#include "BenchOptions.h"
#include "BenchReport.h"

#include <csignal>
#include <iostream>
#include <stdexcept>

using namespace ttbench;

int main(int argc, char** argv)
{
    std::signal(SIGPIPE, SIG_IGN);
    BenchOptions options;
    try
    {
        options = BenchOptions::parse(argc, argv);
    }
    catch (const std::exception& error)
    {
        std::cerr << "ttbench: " << error.what() << "\n";
        return 2;
    }
    if (options.help)
    {
        std::cout << BenchOptions::usage();
        return 0;
    }
    // Whatever stops a run (a connection the route server closed, in any worker thread) ends
    // here as one line naming the mode and the connection, never as std::terminate.
    try
    {
        return runBench(options, std::cout);
    }
    catch (const std::invalid_argument& error)
    {
        std::cout.flush();
        std::cerr << "ttbench: " << options.mode << ": " << error.what() << "\n";
        return 2;
    }
    catch (const std::exception& error)
    {
        std::cout.flush();
        std::cerr << "ttbench: " << options.mode << ": " << error.what() << "\n";
        return 1;
    }
}
