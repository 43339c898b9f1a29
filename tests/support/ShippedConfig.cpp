#include "ShippedConfig.h"

#include <regex>
#include <sstream>

namespace tttest
{

std::string withEphemeralListen(const std::string& shipped)
{
    static const std::regex listenLine(R"(^\s*host\.[A-Za-z0-9_]+\.listen\s*[=:])");
    std::istringstream in(shipped);
    std::string out;
    bool routeListen = false;
    bool continuation = false;
    for (std::string line; std::getline(in, line);)
    {
        const bool continues = !line.empty() && line.back() == '\\';
        if (continuation)
        {
            // The rest of a rewritten multi-line value.
            continuation = continues;
            continue;
        }
        std::smatch match;
        if (std::regex_search(line, match, listenLine))
        {
            const std::string key = line.substr(0, line.find_first_of("=:"));
            routeListen = routeListen || key.find("host.route.listen") != std::string::npos;
            out += key + "= 127.0.0.1:0\n";
            continuation = continues;
            continue;
        }
        out += line + "\n";
    }
    if (!routeListen)
        out += "host.route.listen = 127.0.0.1:0\n";
    return out;
}

} // namespace tttest
