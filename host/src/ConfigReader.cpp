#include "tthost/ConfigReader.h"

#include "tthost/ConfigError.h"

#include <Poco/NumberFormatter.h>
#include <Poco/String.h>

#include <algorithm>
#include <charconv>
#include <cmath>

namespace tthost
{
namespace
{

std::string quoted(const std::string& value)
{
    return "'" + value + "'";
}

/// Splits "250ms" into 250 and "ms"; false when there is no leading number.
bool splitNumberAndUnit(const std::string& text, double& number, std::string& unit)
{
    const char* begin = text.data();
    const char* end = begin + text.size();
    auto [next, error] = std::from_chars(begin, end, number);
    if (error != std::errc() || !std::isfinite(number))
        return false;
    unit = Poco::toLower(Poco::trim(std::string(next, end)));
    return true;
}

} // namespace

ConfigReader::ConfigReader(const Poco::Util::AbstractConfiguration& config, std::string prefix)
    : config_(config)
    , prefix_(std::move(prefix))
{
}

std::string ConfigReader::fullKey(const std::string& key) const
{
    return prefix_.empty() ? key : prefix_ + "." + key;
}

bool ConfigReader::lookup(const std::string& key, std::string& value)
{
    known_.insert(key);
    const std::string name = fullKey(key);
    if (!config_.hasProperty(name))
        return false;
    // Raw read: the host does not expand ${...} references, so values mean what they say.
    value = Poco::trim(config_.getRawString(name));
    return true;
}

std::string ConfigReader::getString(const std::string& key, const std::string& defaultValue)
{
    std::string value;
    return lookup(key, value) ? value : defaultValue;
}

std::int64_t ConfigReader::getInteger(const std::string& key, std::int64_t defaultValue, std::int64_t min, std::int64_t max)
{
    std::string value;
    if (!lookup(key, value))
        return defaultValue;
    std::int64_t number = 0;
    const char* end = value.data() + value.size();
    auto [next, error] = std::from_chars(value.data(), end, number);
    if (error != std::errc() || next != end || value.empty())
        throw ConfigError(fullKey(key), quoted(value) + " is not a whole number");
    if (number < min || number > max)
        throw ConfigError(fullKey(key), quoted(value) + " is out of range [" + std::to_string(min) + ", " + std::to_string(max) + "]");
    return number;
}

bool ConfigReader::getBool(const std::string& key, bool defaultValue)
{
    std::string value;
    if (!lookup(key, value))
        return defaultValue;
    const std::string lower = Poco::toLower(value);
    if (lower == "true" || lower == "yes" || lower == "on" || lower == "1")
        return true;
    if (lower == "false" || lower == "no" || lower == "off" || lower == "0")
        return false;
    throw ConfigError(fullKey(key), quoted(value) + " is not a boolean (true/false)");
}

Poco::Timespan ConfigReader::getDuration(const std::string& key, Poco::Timespan defaultValue, Poco::Timespan min, Poco::Timespan max)
{
    std::string value;
    if (!lookup(key, value))
        return defaultValue;
    double number = 0;
    std::string unit;
    if (!splitNumberAndUnit(value, number, unit))
        throw ConfigError(fullKey(key), quoted(value) + " is not a duration (e.g. 5s, 250ms)");
    double microsPerUnit = 0;
    if (unit.empty() || unit == "s")
        microsPerUnit = 1e6;
    else if (unit == "ms")
        microsPerUnit = 1e3;
    else if (unit == "m" || unit == "min")
        microsPerUnit = 60e6;
    else if (unit == "h")
        microsPerUnit = 3600e6;
    else
        throw ConfigError(fullKey(key), quoted(value) + " has an unknown unit (use ms, s, m or h)");
    const double micros = number * microsPerUnit;
    if (micros < static_cast<double>(min.totalMicroseconds()) || micros > static_cast<double>(max.totalMicroseconds()))
        throw ConfigError(fullKey(key), quoted(value) + " is out of range [" + formatDuration(min) + ", " + formatDuration(max) + "]");
    return Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(std::llround(micros)));
}

std::uint64_t ConfigReader::getByteSize(const std::string& key, std::uint64_t defaultValue, std::uint64_t min, std::uint64_t max)
{
    std::string value;
    if (!lookup(key, value))
        return defaultValue;
    double number = 0;
    std::string unit;
    if (!splitNumberAndUnit(value, number, unit) || number < 0)
        throw ConfigError(fullKey(key), quoted(value) + " is not a byte size (e.g. 4194304, 64K, 4M)");
    if (!unit.empty() && unit.back() == 'b')
        unit.pop_back(); // accept KB/KiB/MB spelled out
    if (unit.size() == 2 && unit[1] == 'i')
        unit.pop_back();
    double multiplier = 0;
    if (unit.empty())
        multiplier = 1;
    else if (unit == "k")
        multiplier = 1024.0;
    else if (unit == "m")
        multiplier = 1024.0 * 1024;
    else if (unit == "g")
        multiplier = 1024.0 * 1024 * 1024;
    else
        throw ConfigError(fullKey(key), quoted(value) + " has an unknown unit (use K, M or G)");
    const double bytes = std::floor(number * multiplier);
    if (bytes < static_cast<double>(min) || bytes > static_cast<double>(max))
        throw ConfigError(fullKey(key), quoted(value) + " is out of range [" + std::to_string(min) + ", " + std::to_string(max) + "] bytes");
    return static_cast<std::uint64_t>(bytes);
}

std::string ConfigReader::getChoice(const std::string& key, const std::string& defaultValue, std::initializer_list<const char*> choices)
{
    std::string value;
    if (!lookup(key, value))
        return defaultValue;
    for (const char* choice : choices)
        if (Poco::icompare(value, std::string(choice)) == 0)
            return choice;
    std::string allowed;
    for (const char* choice : choices)
        allowed += (allowed.empty() ? "" : ", ") + std::string(choice);
    throw ConfigError(fullKey(key), quoted(value) + " is not one of: " + allowed);
}

std::vector<std::string> ConfigReader::getList(const std::string& key, const std::vector<std::string>& defaultValue)
{
    std::string value;
    if (!lookup(key, value))
        return defaultValue;
    std::vector<std::string> items;
    std::string item;
    for (char c : value + ",")
    {
        if (c == ',' || c == ';' || c == ' ' || c == '\t')
        {
            if (!item.empty())
                items.push_back(item);
            item.clear();
        }
        else
            item += c;
    }
    return items;
}

void ConfigReader::rejectUnknownKeys() const
{
    for (const auto& [key, value] : flattenConfig(config_, prefix_))
        if (known_.count(key) == 0)
            throw ConfigError(fullKey(key), "unknown key (value '" + value + "'; check the spelling against conf/tthost.properties)");
}

namespace
{

void collectValues(const Poco::Util::AbstractConfiguration& config, const std::string& name, const std::string& relative,
                   std::map<std::string, std::string>& out)
{
    if (!relative.empty() && config.hasProperty(name))
        out[relative] = config.getRawString(name);
    Poco::Util::AbstractConfiguration::Keys children;
    config.keys(name, children);
    for (const auto& child : children)
        collectValues(config, name.empty() ? child : name + "." + child, relative.empty() ? child : relative + "." + child, out);
}

} // namespace

std::map<std::string, std::string> flattenConfig(const Poco::Util::AbstractConfiguration& config, const std::string& prefix)
{
    std::map<std::string, std::string> values;
    collectValues(config, prefix, "", values);
    return values;
}

std::string formatDuration(Poco::Timespan span)
{
    const auto micros = span.totalMicroseconds();
    if (micros % 1000000 == 0)
        return std::to_string(micros / 1000000) + "s";
    if (micros % 1000 == 0)
        return std::to_string(micros / 1000) + "ms";
    return Poco::NumberFormatter::format(static_cast<double>(micros) / 1e6, 3) + "s";
}

} // namespace tthost
