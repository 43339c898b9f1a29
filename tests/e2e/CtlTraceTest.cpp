// `ttctl trace` (e2e_ctl): a message followed from one msg server to another and Ctrl-C ending
// ttctl and the server's trace; a trace that ends when its time is up, and those the server
// refuses; a trace cut short by the server's death.
#include "AdminJson.h"
#include "CtlEndToEnd.h"
#include "CtlOutput.h"
#include "CtlRun.h"
#include "HostFixture.h"
#include "LogLines.h"
#include "PollUntil.h"
#include "WireFrames.h"

#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <cctype>
#include <csignal>

using tttest::FakeMsgServer;
using tttest::pollUntil;
using tttest::tracesListed;

namespace
{

/// The first complete line of a trace's `output` about a MSG_DATA (not one about the trace
/// itself, which start with "#"); empty while there is none.
std::string msgDataLine(const std::string& output)
{
    for (const std::string& candidate : tttest::completeLines(output, 0))
    {
        std::string lower = candidate;
        std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (candidate.rfind("#", 0) != 0 && lower.find("msg_data") != std::string::npos)
            return candidate;
    }
    return {};
}

} // namespace

class CtlTraceTest : public tttest::HostFixture
{
    CPPUNIT_TEST_SUITE(CtlTraceTest);
    CPPUNIT_TEST(traceFollowsAMessageAndCtrlCEndsIt);
    CPPUNIT_TEST(traceEndsWhenItsTimeIsUp);
    CPPUNIT_TEST(traceCutShortExitsNonZero);
    CPPUNIT_TEST_SUITE_END();

public:
    /// `ttctl trace 400`: a MSG_DATA from user 400 on one msg server to 401 on another is
    /// printed as it is relayed (without its content); Ctrl-C ends ttctl, and the server ends
    /// the trace.
    void traceFollowsAMessageAndCtrlCEndsIt()
    {
        const std::uint16_t admin = startWithAdmin(config());
        FakeMsgServer& f1 = connectMsgServer();
        FakeMsgServer& f2 = connectMsgServer();

        BackgroundCtl trace(at(admin, {"trace", "400", "--for", "5m"}));
        pollUntil("the trace is listed by /status", [&] { return tracesListed(admin) == 1; });
        const std::string message = tttest::msgData(400, 401, 77, "a secret message");
        f1.send(message);
        CPPUNIT_ASSERT(f1.sync().empty());
        const auto relayed = f2.sync();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), relayed.size());
        CPPUNIT_ASSERT(relayed[0].bytes == message);

        // A line about the PDU (not one about the trace) names the command and both users.
        std::string line;
        pollUntil([&] { return "a MSG_DATA line in the trace:\n" + trace.out(); }, [&] { return !(line = msgDataLine(trace.out())).empty(); });
        CPPUNIT_ASSERT_MESSAGE(line, line.find("400") != std::string::npos && line.find("401") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(trace.out(), trace.out().find("a secret message") == std::string::npos);

        trace.process().signal(SIGINT);
        const CtlRun run = trace.finish();
        CPPUNIT_ASSERT_EQUAL_MESSAGE(run.describe(), 128 + SIGINT, run.status);
        pollUntil("the server ends the trace of a client that went", [&] { return tracesListed(admin) == 0; });
        stopCleanly();
    }

    /// `ttctl trace 400 401 --for 1.5s` ends by itself with status 0, the server's last line
    /// saying why; a trace the server refuses (too long, too many users) exits 1 with its reason.
    void traceEndsWhenItsTimeIsUp()
    {
        const std::uint16_t admin = startWithAdmin(config());
        assertFailure(runCtl(at(admin, {"trace", "400", "--for", "16m"})), 1, {"'16m' is out of range"});
        std::vector<std::string> seventeen = at(admin, {"trace"});
        for (int user = 1; user <= 17; ++user)
            seventeen.push_back(std::to_string(user));
        assertFailure(runCtl(seventeen), 1, {});

        const CtlRun run = runCtl(at(admin, {"trace", "400", "401", "--for", "1.5s"}));
        assertSuccess(run);
        const auto all = lines(run.out);
        CPPUNIT_ASSERT_MESSAGE(run.describe(), !all.empty() && all.back().rfind("#", 0) == 0);
        pollUntil("the trace that ended is no longer listed", [&] { return tracesListed(admin) == 0; });
        stopCleanly();
    }

    /// A trace whose server dies exits 3 with one line; the trace had not ended.
    void traceCutShortExitsNonZero()
    {
        const std::uint16_t admin = startWithAdmin(config());
        BackgroundCtl trace(at(admin, {"trace", "400", "--for", "5m"}));
        pollUntil("the trace is listed by /status", [&] { return tracesListed(admin) == 1; });
        CPPUNIT_ASSERT_EQUAL(128 + SIGKILL, host().stopWith(SIGKILL));
        CtlRun run = trace.finish();
        // What it printed of the trace stays on stdout; the reason is one line on stderr: the
        // connection ended without the end of the trace (or, should the kernel reset it, a reset).
        CPPUNIT_ASSERT_MESSAGE(run.describe(), run.out.rfind("#", 0) == 0 || run.out.empty());
        run.out.clear();
        assertFailure(run, 3, {"admin endpoint at 127.0.0.1:" + std::to_string(admin)});
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(CtlTraceTest);
