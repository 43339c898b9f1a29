#include "ReportFormat.h"

#include <algorithm>
#include <cstdio>

namespace ttbench
{

std::string fixed(double value, int decimals)
{
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", decimals, value);
    return text;
}

std::string millis(std::int64_t nanoseconds)
{
    return fixed(static_cast<double>(nanoseconds) / 1e6, 3) + " ms";
}

double median(std::vector<double> values)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

} // namespace ttbench
