// ttbench: the route server's load generator. Acts as N fake msg servers against a route
// server on this machine and reports throughput, latency, losses and the server's cost.
#include "BenchOptions.h"
#include "BenchReport.h"

#include <csignal>
#include <iostream>

using namespace ttbench;

int main(int argc, char** argv)
{
    std::signal(SIGPIPE, SIG_IGN);
    try
    {
        const BenchOptions options = BenchOptions::parse(argc, argv);
        if (options.help)
        {
            std::cout << BenchOptions::usage();
            return 0;
        }
        return runBench(options, std::cout);
    }
    catch (const std::exception& error)
    {
        std::cerr << "ttbench: " << error.what() << "\n";
        return 2;
    }
}
