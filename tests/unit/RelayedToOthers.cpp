#include "RelayedToOthers.h"

#include "DiagnosticText.h"
#include "ProtocolConstants.h"
#include "RelayedFrames.h"
#include "WireFrames.h"

#include <stdexcept>

namespace routertest
{
namespace
{

/// relayFrame() with seq 0.
std::string unnumberedFrame(std::uint16_t commandId, std::uint32_t n)
{
    using namespace tttest::protocol;
    switch (commandId)
    {
        case kMsgData: return tttest::msgData(n, n + 1, n + 2, "hello " + std::to_string(n));
        case kSwitchP2PCmd: return tttest::p2p(n, n + 1, n);
        case kMsgReadNotify: return tttest::readNotify(n, n + 1, n + 2);
        case kServerKickUser: return tttest::kickUser(n, kWindows, 1);
        case kGroupChangeMemberNotify: return tttest::groupChange(n, n + 10, n + 1);
        case kFileNotify: return tttest::fileNotify(n, n + 1, n);
        case kRemoveSessionNotify: return tttest::removeSession(n, n + 5);
        case kSignInfoChanged: return tttest::signInfo(n, n);
    }
    throw std::logic_error("not a relayed command: " + tttest::hex4(commandId));
}

} // namespace

std::string relayFrame(std::uint16_t commandId, std::uint32_t n, std::uint16_t seqNum)
{
    return tttest::withSeqNum(unnumberedFrame(commandId, n), seqNum);
}

std::string signInfoChanged(std::uint32_t n)
{
    return relayFrame(tttest::protocol::kSignInfoChanged, n);
}

} // namespace routertest
