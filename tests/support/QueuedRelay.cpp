// Relayed MSG_DATA queued for a msg server that stopped reading (QueuedRelay.h).
#include "QueuedRelay.h"

#include "FrameAssertions.h"
#include "LoopbackSockets.h"
#include "WireFrames.h"

#include <algorithm>

namespace tttest
{

QueuedRelay::QueuedRelay(std::uint16_t port, std::size_t atLeast, std::size_t beyondSendBuffer)
    : slow_(port)
    , flooder_(port)
{
    slow_.socket().setReceiveBufferSize(64 * 1024);
    assertNothing(slow_.sync(), "the slow msg server, admitted"); // the last time it reads
    assertNothing(flooder_.sync(), "the flooder, admitted");
    const std::size_t target = std::max(atLeast, maxSendBuffer() + beyondSendBuffer);
    for (std::uint32_t i = 0; bytes_ < target; ++i)
    {
        std::string payload(64 * 1024, static_cast<char>('a' + i % 26));
        const std::string tag = "frame " + std::to_string(i) + ";";
        payload.replace(0, tag.size(), tag);
        sent_.push_back(msgData(800, 801, i, payload));
        bytes_ += sent_.back().size();
        flooder_.send(sent_.back());
    }
    assertNothing(flooder_.sync(), "the flooder, once every frame was routed");
}

} // namespace tttest
