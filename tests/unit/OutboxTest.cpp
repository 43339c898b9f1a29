// The outbox over a real socket pair: direct writes, queueing when the kernel is full,
// ordered flushing, the queue limit, and failures.
#include "connections/Outbox.h"

#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <cerrno>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

using ttroute::FrameBatch;
using ttroute::Outbox;
using ttroute::OutboxGauge;

namespace
{

/// Two connected stream sockets; the write side has a small send buffer so it fills quickly.
struct SocketPair
{
    int writer = -1;
    int reader = -1;

    SocketPair()
    {
        int fds[2];
        if (::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0)
            throw std::runtime_error("socketpair failed");
        writer = fds[0];
        reader = fds[1];
        int size = 4096;
        ::setsockopt(writer, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
        ::setsockopt(reader, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    }

    ~SocketPair()
    {
        closeReader();
        ::close(writer);
    }

    void closeReader()
    {
        if (reader >= 0)
            ::close(reader);
        reader = -1;
    }

    /// Everything readable right now.
    std::string drain()
    {
        std::string out;
        char chunk[65536];
        for (;;)
        {
            const ssize_t got = ::recv(reader, chunk, sizeof chunk, MSG_DONTWAIT);
            if (got <= 0)
                return out;
            out.append(chunk, static_cast<std::size_t>(got));
        }
    }
};

std::string pattern(std::size_t size, char seed)
{
    std::string bytes(size, '\0');
    for (std::size_t i = 0; i < size; ++i)
        bytes[i] = static_cast<char>(seed + i % 251);
    return bytes;
}

} // namespace

class OutboxTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(OutboxTest);
    CPPUNIT_TEST(writesDirectlyWhenTheSocketHasRoom);
    CPPUNIT_TEST(queuesWhatTheKernelDoesNotTakeAndFlushesInOrder);
    CPPUNIT_TEST(queuedBytesAreACopyTakenOnce);
    CPPUNIT_TEST(overflowClosesTheOutbox);
    CPPUNIT_TEST(writeToAClosedPeerFails);
    CPPUNIT_TEST(countsFramesAndBytes);
    CPPUNIT_TEST_SUITE_END();

public:
    void writesDirectlyWhenTheSocketHasRoom()
    {
        SocketPair pair;
        OutboxGauge gauge;
        Outbox outbox(pair.writer, gauge);
        const std::string bytes = pattern(100, 'a');
        FrameBatch batch(bytes.data(), bytes.size(), 1);
        CPPUNIT_ASSERT(outbox.push(batch, 1 << 20) == Outbox::PushResult::Written);
        CPPUNIT_ASSERT(!outbox.hasPending());
        CPPUNIT_ASSERT_EQUAL(bytes, pair.drain());
    }

    void queuesWhatTheKernelDoesNotTakeAndFlushesInOrder()
    {
        SocketPair pair;
        OutboxGauge gauge;
        Outbox outbox(pair.writer, gauge);
        std::string expected;
        std::vector<Outbox::PushResult> results;
        for (int i = 0; i < 20; ++i)
        {
            const std::string bytes = pattern(5000, static_cast<char>('A' + i));
            expected += bytes;
            FrameBatch batch(bytes.data(), bytes.size(), 1);
            results.push_back(outbox.push(batch, 1 << 20));
        }
        // The first push that could not finish says so once; later ones only append.
        const auto first = std::find(results.begin(), results.end(), Outbox::PushResult::QueuedFirst);
        CPPUNIT_ASSERT(first != results.end());
        CPPUNIT_ASSERT(std::count(results.begin(), results.end(), Outbox::PushResult::QueuedFirst) == 1);
        CPPUNIT_ASSERT(std::all_of(first + 1, results.end(), [](auto r) { return r == Outbox::PushResult::Queued; }));
        CPPUNIT_ASSERT(outbox.hasPending());

        std::string received;
        while (outbox.hasPending())
        {
            received += pair.drain();
            CPPUNIT_ASSERT(outbox.flush() != Outbox::FlushResult::Failed);
        }
        received += pair.drain();
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), outbox.queuedBytes());
        CPPUNIT_ASSERT(received == expected);
        // The gauge followed the queue up and down again.
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), gauge.total());
        CPPUNIT_ASSERT(gauge.highWater() > 0 && gauge.highWater() <= expected.size());
    }

    void queuedBytesAreACopyTakenOnce()
    {
        SocketPair pair;
        OutboxGauge gauge;
        Outbox outbox(pair.writer, gauge);
        std::string bytes = pattern(64 * 1024, 'x');
        const std::string original = bytes;
        FrameBatch batch(bytes.data(), bytes.size(), 1);
        CPPUNIT_ASSERT(outbox.push(batch, 1 << 20) == Outbox::PushResult::QueuedFirst);
        const auto shared = batch.shared();
        CPPUNIT_ASSERT(shared.get() == batch.shared().get());
        // The read buffer the batch borrowed from is reused at once: the queue must not see that.
        std::fill(bytes.begin(), bytes.end(), '!');
        std::string received;
        while (outbox.hasPending())
        {
            received += pair.drain();
            outbox.flush();
        }
        received += pair.drain();
        CPPUNIT_ASSERT(received == original);
    }

    void overflowClosesTheOutbox()
    {
        SocketPair pair;
        OutboxGauge gauge;
        Outbox outbox(pair.writer, gauge);
        const std::string bytes = pattern(8000, 'o');
        Outbox::PushResult result = Outbox::PushResult::Written;
        int pushes = 0;
        while (result != Outbox::PushResult::Overflow && pushes < 100)
        {
            FrameBatch batch(bytes.data(), bytes.size(), 1);
            result = outbox.push(batch, 20000);
            ++pushes;
        }
        CPPUNIT_ASSERT(result == Outbox::PushResult::Overflow);
        CPPUNIT_ASSERT(outbox.overflowBytes() > 20000);
        CPPUNIT_ASSERT(!outbox.hasPending());
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), gauge.total()); // the dropped queue left the gauge too
        FrameBatch later(bytes.data(), bytes.size(), 1);
        CPPUNIT_ASSERT(outbox.push(later, 20000) == Outbox::PushResult::Closed);
    }

    void writeToAClosedPeerFails()
    {
        SocketPair pair;
        OutboxGauge gauge;
        Outbox outbox(pair.writer, gauge);
        pair.closeReader();
        const std::string bytes = pattern(100, 'c');
        FrameBatch batch(bytes.data(), bytes.size(), 1);
        CPPUNIT_ASSERT(outbox.push(batch, 1 << 20) == Outbox::PushResult::Failed);
        CPPUNIT_ASSERT(outbox.push(batch, 1 << 20) == Outbox::PushResult::Closed);
    }

    void countsFramesAndBytes()
    {
        SocketPair pair;
        OutboxGauge gauge;
        Outbox outbox(pair.writer, gauge);
        const auto before = outbox.lastPush();
        const std::string bytes = pattern(300, 'n');
        FrameBatch three(bytes.data(), bytes.size(), 3);
        FrameBatch one(bytes.data(), 100, 1);
        outbox.push(three, 1 << 20);
        outbox.push(one, 1 << 20);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(4), outbox.framesOut());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(400), outbox.bytesOut());
        CPPUNIT_ASSERT(outbox.lastPush() >= before);
        outbox.close();
        CPPUNIT_ASSERT(outbox.push(one, 1 << 20) == Outbox::PushResult::Closed);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(OutboxTest);
