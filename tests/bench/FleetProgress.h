#pragma once

#include <atomic>
#include <cstdint>
#include <vector>

namespace ttbench
{

/// What a fleet's readers saw of each sender's messages, for the senders' windows.
class FleetProgress
{
public:
    /// Room for `readers` readers' view of `senders` senders; `targeted` says how views add up.
    FleetProgress(int readers, int senders, bool targeted);

    /// Reader `reader` saw `value` of `sender`'s messages: in targeted mode the copies it
    /// received, in broadcast mode those that every connection it reads received.
    void publish(int reader, int sender, std::uint64_t value)
    {
        cells_[static_cast<std::size_t>(reader * senders_ + sender)].store(value, std::memory_order_release);
    }

    /// Messages of `sender` delivered everywhere they go: the sum of the readers' views in
    /// targeted mode (each message has one copy), their minimum in broadcast mode.
    std::uint64_t acknowledged(int sender) const;

private:
    int senders_;
    bool targeted_;
    std::vector<std::atomic<std::uint64_t>> cells_; ///< by reader, then sender
};

} // namespace ttbench
