#include "FakeMsgServer.h"

#include "IM.Buddy.pb.h"

#include <Poco/Exception.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SocketAddress.h>

#include <cppunit/TestAssert.h>

namespace tttest
{
namespace
{

using Clock = std::chrono::steady_clock;

constexpr std::uint32_t kSyncUser = 0x5EC0DE;

} // namespace

FakeMsgServer::FakeMsgServer(std::uint16_t port)
    : socket_(Poco::Net::SocketAddress("127.0.0.1", port))
    , name_(socket_.address().toString() + " #")
{
    socket_.setNoDelay(true);
}

FakeMsgServer::FakeMsgServer(std::uint16_t port, const std::string& sourceAddress)
    : socket_(Poco::Net::SocketAddress::IPv4)
{
    socket_.impl()->bind(Poco::Net::SocketAddress(sourceAddress, 0));
    socket_.connect(Poco::Net::SocketAddress("127.0.0.1", port));
    name_ = socket_.address().toString() + " #";
    socket_.setNoDelay(true);
}

void FakeMsgServer::send(const std::string& bytes)
{
    try
    {
        socket_.sendBytes(bytes.data(), static_cast<int>(bytes.size()));
    }
    catch (const Poco::Exception& error)
    {
        // Which connection failed is what a failing test's reader needs first.
        throw Poco::IOException(name_ + ": sending " + std::to_string(bytes.size()) + " bytes: " + error.displayText());
    }
}

bool FakeMsgServer::readSome(std::chrono::milliseconds timeout)
{
    if (!socket_.poll(Poco::Timespan(timeout.count() * 1000), Poco::Net::Socket::SELECT_READ))
        return false;
    char chunk[65536];
    int got = 0;
    try
    {
        got = socket_.receiveBytes(chunk, sizeof chunk);
    }
    catch (const Poco::Exception& error)
    {
        throw Poco::IOException(name_ + ": receiving: " + error.displayText());
    }
    if (got <= 0)
        throw Poco::Net::ConnectionResetException(name_ + ": the route server closed the connection");
    buffer_.append(chunk, static_cast<std::size_t>(got));
    for (auto& frame : takeFrames(buffer_))
    {
        if (frame.commandId == 0x0701)
            ++heartbeats_;
        else
            frames_.push_back(std::move(frame));
    }
    return true;
}

WireFrame FakeMsgServer::receive(std::chrono::milliseconds timeout)
{
    const auto deadline = Clock::now() + timeout;
    while (frames_.empty())
    {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0 || !readSome(left))
            CPPUNIT_FAIL("no frame from the route server within " + std::to_string(timeout.count()) + " ms");
    }
    WireFrame frame = std::move(frames_.front());
    frames_.pop_front();
    return frame;
}

std::vector<WireFrame> FakeMsgServer::sync()
{
    const std::uint16_t seq = nextSyncSeq_++;
    send(statusRequest(seq, kSyncUser, {}));
    std::vector<WireFrame> before;
    for (;;)
    {
        WireFrame frame = receive();
        if (frame.commandId == 0x020b && frame.seqNum == seq)
        {
            IM::Buddy::IMUsersStatRsp response;
            if (frame.parse(response) && response.user_id() == kSyncUser)
                return before;
        }
        before.push_back(std::move(frame));
    }
}

bool FakeMsgServer::waitClosed(std::chrono::milliseconds timeout)
{
    const auto deadline = Clock::now() + timeout;
    try
    {
        while (Clock::now() < deadline)
            readSome(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()));
    }
    catch (const Poco::Exception&)
    {
        return true;
    }
    return false;
}

void FakeMsgServer::close()
{
    socket_.close();
}

} // namespace tttest
