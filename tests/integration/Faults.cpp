#include "Faults.h"

#include "FrameAssertions.h"
#include "WireFrames.h"

#include <string>

using tttest::FakeMsgServer;

Faults::Faults()
    : ServedPluginFixture(TTROUTE_PLUGIN_PATH)
{
}

void Faults::assertSurvivorsWork(const std::vector<FakeMsgServer*>& peers, std::uint32_t round)
{
    for (std::size_t i = 0; i < peers.size(); ++i)
    {
        const std::string message = tttest::msgData(round * 1000 + static_cast<std::uint32_t>(i), 1, round,
                                                    tttest::patternedBytes(100 + i, round * 16 + static_cast<unsigned>(i)));
        peers[i]->send(message);
        // The sender first: its answer comes after its message was handed to everyone.
        tttest::assertNothing(peers[i]->sync(), "survivor " + std::to_string(i) + " after it sent");
        for (std::size_t j = 0; j < peers.size(); ++j)
            if (j != i)
                tttest::assertFrames({message}, peers[j]->sync(),
                                     "survivor " + std::to_string(j) + " after survivor " + std::to_string(i) + " sent");
    }
}

std::size_t Faults::occurrences(const std::string& log, const std::string& needle)
{
    std::size_t count = 0;
    for (std::size_t at = log.find(needle); at != std::string::npos; at = log.find(needle, at + needle.size()))
        ++count;
    return count;
}
