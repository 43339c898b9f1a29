#include "HumanText.h"

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/DateTimeParser.h>
#include <Poco/Exception.h>
#include <Poco/String.h>

#include <charconv>
#include <cmath>
#include <cstdio>

namespace ttctl
{

std::string HumanText::bytes(std::uint64_t count)
{
    if (count < 1024)
        return std::to_string(count) + "B";
    const char units[] = {'K', 'M', 'G', 'T', 'P'};
    double value = static_cast<double>(count);
    std::size_t unit = 0;
    for (value /= 1024; value >= 1024 && unit + 1 < sizeof units; value /= 1024)
        ++unit;
    char text[32];
    if (value < 10)
        std::snprintf(text, sizeof text, "%.1f%c", value, units[unit]);
    else
        std::snprintf(text, sizeof text, "%.0f%c", value, units[unit]);
    return text;
}

std::string HumanText::duration(double seconds)
{
    if (!(seconds >= 0))
        return "-";
    char text[48];
    if (seconds < 10)
    {
        std::snprintf(text, sizeof text, "%.1fs", seconds);
        return text;
    }
    const auto whole = static_cast<std::uint64_t>(seconds);
    const std::uint64_t days = whole / 86400, hours = whole / 3600 % 24, minutes = whole / 60 % 60, rest = whole % 60;
    if (days > 0)
        std::snprintf(text, sizeof text, "%llud %lluh", static_cast<unsigned long long>(days), static_cast<unsigned long long>(hours));
    else if (hours > 0)
        std::snprintf(text, sizeof text, "%lluh %llum", static_cast<unsigned long long>(hours), static_cast<unsigned long long>(minutes));
    else if (minutes > 0)
        std::snprintf(text, sizeof text, "%llum %llus", static_cast<unsigned long long>(minutes), static_cast<unsigned long long>(rest));
    else
        std::snprintf(text, sizeof text, "%llus", static_cast<unsigned long long>(rest));
    return text;
}

std::string HumanText::time(const std::string& iso8601)
{
    Poco::DateTime parsed;
    int zone = 0;
    if (!Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::ISO8601_FRAC_FORMAT, iso8601, parsed, zone) &&
        !Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::ISO8601_FORMAT, iso8601, parsed, zone))
        return iso8601;
    parsed.makeUTC(zone);
    return Poco::DateTimeFormatter::format(parsed, Poco::DateTimeFormat::ISO8601_FORMAT);
}

std::optional<std::chrono::milliseconds> HumanText::parseDuration(const std::string& text)
{
    double number = 0;
    const auto [next, error] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (error != std::errc() || !std::isfinite(number) || number < 0)
        return std::nullopt;
    const std::string unit = Poco::toLower(Poco::trim(std::string(next, text.data() + text.size())));
    double millisPerUnit = 0;
    if (unit.empty() || unit == "s")
        millisPerUnit = 1e3;
    else if (unit == "ms")
        millisPerUnit = 1;
    else if (unit == "m" || unit == "min")
        millisPerUnit = 60e3;
    else if (unit == "h")
        millisPerUnit = 3600e3;
    else
        return std::nullopt;
    const double millis = number * millisPerUnit;
    if (millis > 1e15)
        return std::nullopt;
    return std::chrono::milliseconds(std::llround(millis));
}

} // namespace ttctl
