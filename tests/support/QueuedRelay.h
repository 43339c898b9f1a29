#pragma once

// Work for a drain: relayed MSG_DATA held in the route server's outbox for a msg server that
// stopped reading.

#include "FakeMsgServer.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace tttest
{

/// Two msg servers on the route server at 127.0.0.1:`port`: `slow()`, which stops reading once
/// admitted, and a flooder that relays it MSG_DATA of 64 KiB each until more is on its way than
/// the kernel's buffers at both ends hold, so the rest waits in the route server's outbox. The
/// flooder's sync at the end proves every frame was routed.
class QueuedRelay
{
public:
    /// Connects both and floods until at least `atLeast` bytes, and `beyondSendBuffer` more
    /// than the kernel's largest send buffer, are sent.
    QueuedRelay(std::uint16_t port, std::size_t atLeast, std::size_t beyondSendBuffer);

    /// The msg server that stopped reading: a small receive window, so the kernel holds little.
    FakeMsgServer& slow() { return slow_; }

    /// Every frame relayed to slow(), in order (each payload begins "frame N;").
    const std::vector<std::string>& sent() const { return sent_; }

    /// The bytes of sent().
    std::size_t bytes() const { return bytes_; }

private:
    FakeMsgServer slow_;            ///< stopped reading after its first sync
    FakeMsgServer flooder_;         ///< sends sent_ to slow_
    std::vector<std::string> sent_; ///< every frame relayed, in order
    std::size_t bytes_ = 0;         ///< their bytes
};

} // namespace tttest
