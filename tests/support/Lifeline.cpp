#include "Lifeline.h"

#include <Poco/Exception.h>

#include <cppunit/Exception.h>
#include <cppunit/TestAssert.h>

#include <algorithm>
#include <iostream>

namespace tttest
{

std::chrono::milliseconds Lifeline::longestSilence() const
{
    const auto open = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - lastBegan_);
    return std::max(longest_, open);
}

void Lifeline::noteSent(Clock::time_point began)
{
    if (sentBefore_)
        longest_ = std::max(longest_, std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - lastBegan_));
    sentBefore_ = true;
    lastBegan_ = began;
}

void runWhileKeepersKeepTime(std::chrono::milliseconds idleTimeout, std::size_t keepers,
                             const std::function<void(std::vector<Lifeline>&)>& scenario, const std::function<std::string()>& log,
                             int runs)
{
    for (int run = 1;; ++run)
    {
        std::vector<Lifeline> lives(keepers);
        try
        {
            scenario(lives);
            return;
        }
        catch (const std::exception& error)
        {
            std::chrono::milliseconds silence{0};
            for (const Lifeline& life : lives)
                silence = std::max(silence, life.longestSilence());
            const auto* poco = dynamic_cast<const Poco::Exception*>(&error);
            const std::string failure = poco ? poco->displayText() : std::string(error.what());
            if (silence < idleTimeout)
            {
                if (dynamic_cast<const CppUnit::Exception*>(&error))
                    throw;
                CPPUNIT_FAIL(failure + "; no keeper was silent for more than " + std::to_string(silence.count()) + " ms; the log:\n" + log());
            }
            const std::string what = "this thread left a keeper without sending for " + std::to_string(silence.count()) +
                                     " ms, not less than idle_timeout " + std::to_string(idleTimeout.count()) + " ms: " + failure;
            if (run == runs)
                CPPUNIT_FAIL("in each of " + std::to_string(runs) + " runs, " + what);
            std::cerr << "\n  note: run " << run << " proves nothing, " << what << "; running it again\n";
        }
    }
}

} // namespace tttest
