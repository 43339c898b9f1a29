#include "RecordingPeerChecks.h"

#include "FrameTokens.h"

#include <cppunit/extensions/HelperMacros.h>

namespace tttest
{

void clearAll(Peers peers)
{
    for (const auto& peer : peers)
        peer->clear();
}

void assertNoneReceived(Peers peers)
{
    for (const auto& peer : peers)
        if (peer->received())
            CPPUNIT_FAIL(peer->description() + " received " + described(*peer));
}

void assertEachReceived(const std::string& expected, Peers peers)
{
    for (const auto& peer : peers)
        CPPUNIT_ASSERT_EQUAL_MESSAGE(peer->description(), expected, described(*peer));
}

} // namespace tttest
