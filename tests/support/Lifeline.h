#pragma once

// Tests of the idle timeout keep some connections alive (keepers) while another one idles out.
// That a keeper keeps sending is up to the test's thread: descheduled for longer than
// idle_timeout (a busy machine, a sanitizer), it leaves the keeper silent that long, and the
// route server is right to close the keeper too. Such a run proves nothing either way, so it is
// told apart by the keepers' send times and run again; a keeper closed although it kept sending
// fails at once.

#include <chrono>
#include <functional>
#include <string>
#include <type_traits>
#include <vector>

namespace tttest
{

/// When one keeper's whole PDUs went out, so a test can tell afterwards whether it kept its
/// side of the idle timeout.
class Lifeline
{
public:
    using Clock = std::chrono::steady_clock;

    /// Runs `send`, which puts a whole PDU on its way (a send, a sync, a connect with a sync),
    /// notes when, and returns what `send` returns.
    template <typename Send>
    auto around(Send send) -> decltype(send())
    {
        const Clock::time_point began = Clock::now();
        if constexpr (std::is_void_v<decltype(send())>)
        {
            send();
            noteSent(began);
        }
        else
        {
            auto result = send();
            noteSent(began);
            return result;
        }
    }

    /// The longest time in which no PDU can have gone out: from the start of one send to the
    /// end of the next, or to now after the last. Never less than the longest real gap.
    std::chrono::milliseconds longestSilence() const;

private:
    void noteSent(Clock::time_point began);

    bool sentBefore_ = false;
    Clock::time_point lastBegan_ = Clock::now();
    std::chrono::milliseconds longest_{0};
};

/// Runs `scenario` with one Lifeline per keeper (`keepers` of them) until a run is conclusive:
/// returns when it passes; rethrows its failure when every keeper sent within `idleTimeout`
/// (adding `log()`, the route server's log, to an exception that is not an assertion); runs it
/// again, at most `runs` times in all, when a keeper was silent for `idleTimeout` or longer.
/// `scenario` starts the route server it needs each time.
void runWhileKeepersKeepTime(std::chrono::milliseconds idleTimeout, std::size_t keepers,
                             const std::function<void(std::vector<Lifeline>&)>& scenario, const std::function<std::string()>& log,
                             int runs = 3);

} // namespace tttest
