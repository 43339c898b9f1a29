#include "PollUntil.h"

#include <cppunit/extensions/HelperMacros.h>

#include <thread>

namespace tttest
{

void pollUntil(const std::function<std::string()>& describe, const std::function<bool()>& condition, std::chrono::milliseconds timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!condition())
    {
        if (std::chrono::steady_clock::now() >= deadline)
            CPPUNIT_FAIL("waited " + std::to_string(timeout.count()) + " ms in vain for: " + describe());
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

void pollUntil(const std::string& what, const std::function<bool()>& condition, std::chrono::milliseconds timeout)
{
    pollUntil([&what] { return what; }, condition, timeout);
}

} // namespace tttest
