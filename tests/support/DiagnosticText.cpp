#include "DiagnosticText.h"

#include <cstdio>

namespace tttest
{

std::string hex4(std::uint32_t value)
{
    char text[8];
    std::snprintf(text, sizeof text, "%04x", value & 0xFFFF);
    return text;
}

std::string hexId(std::uint32_t value)
{
    return "0x" + hex4(value);
}

std::string describeFrames(const std::vector<WireFrame>& frames)
{
    constexpr std::size_t kShown = 40;
    std::string text = "[";
    for (std::size_t i = 0; i < frames.size() && i < kShown; ++i)
        text += (i ? ", " : "") + std::string("svc ") + std::to_string(frames[i].serviceId) + " cmd " + hexId(frames[i].commandId) +
                " seq " + std::to_string(frames[i].seqNum) + " len " + std::to_string(frames[i].length);
    if (frames.size() > kShown)
        text += ", ... " + std::to_string(frames.size()) + " frames in all";
    return text + "]";
}

std::string setText(const std::set<int>& numbers)
{
    std::string out = "{";
    for (int number : numbers)
        out += (out.size() > 1 ? "," : "") + std::to_string(number);
    return out + "}";
}

} // namespace tttest
