#include "LogLines.h"

#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <thread>

namespace tttest
{

std::vector<std::string> completeLines(const std::string& text, std::size_t from)
{
    std::vector<std::string> lines;
    std::size_t start = std::min(from, text.size());
    for (std::size_t end = text.find('\n', start); end != std::string::npos; end = text.find('\n', start))
    {
        lines.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return lines;
}

std::vector<std::string> linesWith(const std::string& text, const std::vector<std::string>& parts, std::size_t from)
{
    std::vector<std::string> found;
    for (const auto& line : completeLines(text, from))
        if (std::all_of(parts.begin(), parts.end(), [&](const std::string& part) { return line.find(part) != std::string::npos; }))
            found.push_back(line);
    return found;
}

std::string waitForLine(const std::function<std::string()>& source, std::size_t from, const std::vector<std::string>& parts,
                        std::chrono::milliseconds timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;)
    {
        const std::string text = source();
        const auto found = linesWith(text, parts, from);
        if (!found.empty())
            return found.front();
        if (std::chrono::steady_clock::now() >= deadline)
        {
            std::string wanted;
            for (const auto& part : parts)
                wanted += " [" + part + "]";
            CPPUNIT_FAIL("no log line with" + wanted + " within " + std::to_string(timeout.count()) + " ms; the log:\n" + text);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

} // namespace tttest
