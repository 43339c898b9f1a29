// One tthost per test and the fake msg servers connected to it, ended by tearDown (HostFixture.h).
#include "HostFixture.h"

#include "FrameAssertions.h"

#include <cppunit/TestAssert.h>

#include <csignal>

namespace tttest
{

void HostFixture::tearDown()
{
    msgServers_.clear();
    host_.reset();
}

RunningHost& HostFixture::start(const HostProperties& properties)
{
    host_ = std::make_unique<RunningHost>(properties.text());
    port_ = host_->port();
    return *host_;
}

std::uint16_t HostFixture::startWithAdmin(const HostProperties& properties)
{
    return start(properties).adminPort();
}

RunningHost& HostFixture::host()
{
    CPPUNIT_ASSERT_MESSAGE("the test has not started tthost", host_ != nullptr);
    return *host_;
}

FakeMsgServer& HostFixture::connectMsgServer(const std::string& sourceAddress)
{
    FakeMsgServer& msgServer = connectSilentMsgServer(sourceAddress);
    assertNothing(msgServer.sync(), "a new connection");
    return msgServer;
}

FakeMsgServer& HostFixture::connectSilentMsgServer(const std::string& sourceAddress)
{
    msgServers_.push_back(sourceAddress.empty() ? std::make_unique<FakeMsgServer>(port_) : std::make_unique<FakeMsgServer>(port_, sourceAddress));
    return *msgServers_.back();
}

void HostFixture::stopCleanly()
{
    const int status = host().stopWith(SIGTERM);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(host().log(), 0, status);
}

} // namespace tttest
