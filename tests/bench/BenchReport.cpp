// Runs the mode the command line names; each mode's report is in a file of its own.
#include "BenchReport.h"

#include "PresenceReport.h"
#include "RelayReport.h"
#include "ScaleReport.h"
#include "StormReport.h"

#include <stdexcept>
#include <string>

namespace ttbench
{

int runBench(const BenchOptions& options, std::ostream& out)
{
    if (options.mode == "relay")
    {
        if (!options.hasServer && !options.baseline)
            throw std::invalid_argument("relay needs --port (or --baseline alone)");
        return runRelayMode(options, out);
    }
    if (!options.hasServer)
        throw std::invalid_argument(options.mode + " needs --port");
    if (options.mode == "modes")
        return runModesMode(options, out);
    if (options.mode == "query")
        return runQueryMode(options, out);
    if (options.mode == "presence")
        return runPresenceMode(options, out);
    if (options.mode == "churn")
        return runChurnMode(options, out);
    if (options.mode == "soak")
        return runSoakMode(options, out);
    if (options.mode == "scale")
        return runScaleMode(options, out);
    if (options.mode == "storm")
        return runStormMode(options, out);
    throw std::invalid_argument("unknown mode '" + options.mode + "'");
}

} // namespace ttbench
