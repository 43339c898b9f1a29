#include "HostWithMsgServers.h"

#include "MsgServerChecks.h"

#include <cppunit/extensions/HelperMacros.h>

#include <csignal>

namespace tttest
{

HostWithMsgServers::HostWithMsgServers(const std::string& properties)
    : host_(properties)
    , port_(host_.port())
    , admin_(host_.adminPort())
{
}

FakeMsgServer& HostWithMsgServers::connect()
{
    fakes_.push_back(std::make_unique<FakeMsgServer>(port_));
    return *fakes_.back();
}

FakeMsgServer& HostWithMsgServers::connectAdmitted()
{
    fakes_.push_back(tttest::connectAdmitted(port_));
    return *fakes_.back();
}

void HostWithMsgServers::stopCleanly()
{
    const int status = host_.stopWith(SIGTERM);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(host_.log(), 0, status);
}

} // namespace tttest
