#pragma once

#include <array>
#include <cstdint>

namespace ttbench
{

/// Latencies in nanoseconds, kept as counts in log-linear buckets (about 1.5% wide), so
/// recording costs one increment and percentiles need no stored samples.
class LatencyHistogram
{
public:
    /// Counts one latency.
    void record(std::int64_t nanoseconds);

    /// Adds everything `other` counted.
    void merge(const LatencyHistogram& other);

    /// The latency below which `fraction` (0..1) of the counted ones lie; 0 when empty.
    std::int64_t percentile(double fraction) const;

    /// Number of latencies counted.
    std::uint64_t count() const { return count_; }

private:
    static constexpr int kSubBuckets = 64; ///< per power of two
    static constexpr int kBuckets = 64 * kSubBuckets;

    static int bucketOf(std::uint64_t value);
    static std::uint64_t upperBoundOf(int bucket);

    std::array<std::uint64_t, kBuckets> counts_{};
    std::uint64_t count_ = 0;
};

} // namespace ttbench
