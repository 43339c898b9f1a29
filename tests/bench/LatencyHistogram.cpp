#include "LatencyHistogram.h"

namespace ttbench
{

int LatencyHistogram::bucketOf(std::uint64_t value)
{
    if (value < kSubBuckets)
        return static_cast<int>(value);
    const int power = 63 - __builtin_clzll(value); // value in [2^power, 2^(power+1))
    const int shift = power - 6;                   // keep 6 bits below the leading one
    const int sub = static_cast<int>((value >> shift) & (kSubBuckets - 1));
    return (power - 5) * kSubBuckets + sub;
}

std::uint64_t LatencyHistogram::upperBoundOf(int bucket)
{
    if (bucket < kSubBuckets)
        return static_cast<std::uint64_t>(bucket);
    const int power = bucket / kSubBuckets + 5;
    const int sub = bucket % kSubBuckets;
    const int shift = power - 6;
    return ((std::uint64_t{1} << power) | (static_cast<std::uint64_t>(sub) << shift)) + (std::uint64_t{1} << shift) - 1;
}

void LatencyHistogram::record(std::int64_t nanoseconds)
{
    const std::uint64_t value = nanoseconds < 0 ? 0 : static_cast<std::uint64_t>(nanoseconds);
    const int bucket = bucketOf(value);
    ++counts_[static_cast<std::size_t>(bucket < kBuckets ? bucket : kBuckets - 1)];
    ++count_;
}

void LatencyHistogram::merge(const LatencyHistogram& other)
{
    for (std::size_t i = 0; i < counts_.size(); ++i)
        counts_[i] += other.counts_[i];
    count_ += other.count_;
}

std::int64_t LatencyHistogram::percentile(double fraction) const
{
    if (count_ == 0)
        return 0;
    const auto wanted = static_cast<std::uint64_t>(fraction * static_cast<double>(count_ - 1)) + 1;
    std::uint64_t seen = 0;
    for (int bucket = 0; bucket < kBuckets; ++bucket)
    {
        seen += counts_[static_cast<std::size_t>(bucket)];
        if (seen >= wanted)
            return static_cast<std::int64_t>(upperBoundOf(bucket));
    }
    return static_cast<std::int64_t>(upperBoundOf(kBuckets - 1));
}

} // namespace ttbench
