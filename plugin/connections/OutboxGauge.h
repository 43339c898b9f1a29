#pragma once

#include <atomic>
#include <cstddef>

namespace ttroute
{

/// Bytes queued in all outboxes together, and the most there ever were: operators watch the
/// total grow when msg servers fall behind. Touched only on the queueing path.
class OutboxGauge
{
public:
    /// Counts `bytes` more queued.
    void add(std::size_t bytes);
    /// Counts `bytes` fewer queued.
    void remove(std::size_t bytes) { total_.fetch_sub(bytes, std::memory_order_relaxed); }
    /// Bytes queued now.
    std::size_t total() const { return total_.load(std::memory_order_relaxed); }
    /// The most bytes queued at once so far.
    std::size_t highWater() const { return highWater_.load(std::memory_order_relaxed); }

private:
    std::atomic<std::size_t> total_{0};
    std::atomic<std::size_t> highWater_{0};
};

} // namespace ttroute
