// SIGTERM on the real tthost drains what is queued before it closes: a msg server that stopped
// reading has megabytes of relayed MSG_DATA waiting in its outbox, starts reading only once tthost
// logged that it is stopping, and receives every frame sent before the SIGTERM, then EOF.
#include "OperationsEndToEnd.h"

#include "AdminHttp.h"
#include "LogLines.h"
#include "PollUntil.h"
#include "ProtocolConstants.h"
#include "QueuedRelay.h"
#include "WireFrames.h"

#include <Poco/Exception.h>
#include <Poco/Net/StreamSocket.h>

#include <cppunit/extensions/HelperMacros.h>

#include <chrono>
#include <csignal>
#include <string>
#include <thread>
#include <vector>

using namespace tttest::protocol;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace
{

/// What a reader saw of one connection until the route server closed it.
struct Drained
{
    std::vector<tttest::WireFrame> frames; ///< everything but heartbeats, in order
    bool eof = false;
    std::string error;
};

/// Reads `socket` to its end (at most `timeout`), keeping every frame but heartbeats.
void readToEnd(Poco::Net::StreamSocket& socket, Drained& result, std::chrono::milliseconds timeout)
{
    try
    {
        std::string buffer;
        std::vector<char> chunk(256 * 1024);
        const auto deadline = Clock::now() + timeout;
        while (Clock::now() < deadline)
        {
            if (!socket.poll(Poco::Timespan(200000), Poco::Net::Socket::SELECT_READ))
                continue;
            const int got = socket.receiveBytes(chunk.data(), static_cast<int>(chunk.size()));
            if (got <= 0)
            {
                result.eof = true;
                if (!buffer.empty())
                    result.error = std::to_string(buffer.size()) + " bytes of a partial frame before EOF";
                return;
            }
            buffer.append(chunk.data(), static_cast<std::size_t>(got));
            for (auto& frame : tttest::takeFrames(buffer))
                if (frame.commandId != kHeartbeat)
                    result.frames.push_back(std::move(frame));
        }
        result.error = "no EOF within " + std::to_string(timeout.count()) + " ms";
    }
    catch (const Poco::Exception& error)
    {
        result.error = error.displayText();
    }
}

} // namespace

class OperationsDrainTest : public OperationsEndToEnd
{
    CPPUNIT_TEST_SUITE(OperationsDrainTest);
    CPPUNIT_TEST(sigtermDrainsQueuedRelaysBeforeClosing);
    CPPUNIT_TEST_SUITE_END();

public:
    /// Issue: SIGTERM drains: a msg server that stopped reading has megabytes of relayed
    /// MSG_DATA queued; it starts reading only after tthost logged that it is stopping, and
    /// receives every frame sent before the SIGTERM, then EOF; tthost exits 0. The flooder's
    /// sync before the SIGTERM proves every frame was routed, so the count does not depend on
    /// timing (host.drain_timeout = 10s is the only bound).
    void sigtermDrainsQueuedRelaysBeforeClosing()
    {
        const std::uint16_t admin = startWithAdmin(
            baseProperties().withAdmin().set("host.drain_timeout", "10s").set("route.max_outbox_bytes", "512M").set("route.heartbeat_interval", "1h"));
        tttest::RunningHost& server = host();
        // More than the kernel buffers of both ends can hold (at least 12 MiB, and 8 MiB beyond
        // the largest send buffer): several MB wait in the outbox.
        tttest::QueuedRelay relay(port(), 12u << 20, 8u << 20);
        const std::vector<std::string>& sent = relay.sent();

        // SIGTERM first, and only once tthost drains (GET /readyz answers 503: it no longer
        // serves) does `slow` read: what it gets now comes from the drain, not from the normal
        // flushing of a running server.
        const std::size_t mark = server.mark();
        server.process().signal(SIGTERM);
        server.waitForLine(mark, {"received Terminated, stopping"});
        tttest::pollUntil("GET /readyz answering 503 while tthost drains", [&] { return tttest::http(admin, "/readyz").status == 503; });
        Drained drained;
        std::thread reader([&] { readToEnd(relay.slow().socket(), drained, 30s); });
        int status = server.process().wait(25s);
        if (status == -1)
        {
            server.process().signal(SIGKILL);
            server.process().wait(5s);
        }
        reader.join();

        const std::string log = server.log();
        CPPUNIT_ASSERT_EQUAL_MESSAGE(log, 0, status);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("reading the slow connection", std::string(), drained.error);
        CPPUNIT_ASSERT_MESSAGE("no EOF", drained.eof);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("frames of " + std::to_string(relay.bytes()) + " bytes sent before SIGTERM; the log:\n" + log,
                                     sent.size(), drained.frames.size());
        for (std::size_t i = 0; i < sent.size(); ++i)
        {
            CPPUNIT_ASSERT_EQUAL(kMsgData, drained.frames[i].commandId);
            CPPUNIT_ASSERT_MESSAGE("drained frame " + std::to_string(i) + " differs", sent[i] == drained.frames[i].bytes);
        }
        CPPUNIT_ASSERT_MESSAGE(log, log.find("received Terminated, stopping") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(log, tttest::linesWith(log, {"still ending after the drain timeout"}).empty());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(OperationsDrainTest);
