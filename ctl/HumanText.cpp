#include "HumanText.h"

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/DateTimeParser.h>
#include <Poco/Exception.h>

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
    const std::size_t end = text.find_first_not_of("0123456789");
    const std::size_t digits = end == std::string::npos ? text.size() : end;
    if (digits == 0 || digits > 9)
        return std::nullopt;
    const std::uint64_t number = std::stoull(text.substr(0, digits));
    const std::string unit = digits == text.size() ? "s" : text.substr(digits);
    if (unit == "ms")
        return std::chrono::milliseconds(number);
    if (unit == "s")
        return std::chrono::seconds(number);
    if (unit == "m")
        return std::chrono::minutes(number);
    if (unit == "h")
        return std::chrono::hours(number);
    return std::nullopt;
}

} // namespace ttctl
