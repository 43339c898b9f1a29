#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ttbench
{

/// `value` with `decimals` digits after the point, as every figure of a report is printed.
std::string fixed(double value, int decimals);

/// A latency in nanoseconds as milliseconds: "0.123 ms".
std::string millis(std::int64_t nanoseconds);

/// The median of `values` (the upper one of an even count); 0 when there are none.
double median(std::vector<double> values);

} // namespace ttbench
