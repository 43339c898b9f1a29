#include "TrafficLedger.h"

#include <cppunit/extensions/HelperMacros.h>

namespace tttest
{

namespace
{

/// The bytes of the status query FakeMsgServer::sync() sends: from its own user (0x5EC0DE in
/// FakeMsgServer.cpp) about nobody. Its sequence number changes from sync to sync, its size
/// does not.
std::size_t syncQueryBytes()
{
    static const std::size_t bytes = statusRequest(0xF000, 0x5EC0DE, {}).size();
    return bytes;
}

} // namespace

TrafficLedger::TrafficLedger(FakeMsgServer& fake)
    : fake_(fake)
{
}

void TrafficLedger::send(const std::string& frames)
{
    std::string rest = frames;
    const std::size_t pdus = takeFrames(rest).size();
    CPPUNIT_ASSERT_MESSAGE("a ledger counts whole PDUs only", pdus > 0 && rest.empty());
    fake_.send(frames);
    pdusIn_ += pdus;
    bytesIn_ += frames.size();
}

std::vector<WireFrame> TrafficLedger::sync()
{
    std::vector<WireFrame> before = fake_.sync();
    pdusIn_ += 1;
    bytesIn_ += syncQueryBytes();
    pdusOut_ += before.size() + 1;
    return before;
}

} // namespace tttest
