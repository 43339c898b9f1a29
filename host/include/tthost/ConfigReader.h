#pragma once

#include <Poco/Timespan.h>
#include <Poco/Util/AbstractConfiguration.h>

#include <cstdint>
#include <initializer_list>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace tthost
{

/// Typed, validated reads of one configuration subtree (e.g. everything under "route.").
///
/// Every getter takes the default that applies when the key is absent and throws
/// ConfigError naming the full key when a value is present but unusable. The reader
/// remembers which keys it was asked for, so rejectUnknownKeys() can catch typos.
class ConfigReader
{
public:
    /// Reads keys below `prefix` (without the trailing dot) of `config`.
    ConfigReader(const Poco::Util::AbstractConfiguration& config, std::string prefix);

    /// A string value, trimmed.
    std::string getString(const std::string& key, const std::string& defaultValue);

    /// A whole number in [min, max].
    std::int64_t getInteger(const std::string& key, std::int64_t defaultValue, std::int64_t min, std::int64_t max);

    /// true/false, yes/no, on/off, 1/0.
    bool getBool(const std::string& key, bool defaultValue);

    /// A duration in [min, max]: a number of seconds, or a number with unit ms, s, m or h ("250ms", "5s").
    Poco::Timespan getDuration(const std::string& key, Poco::Timespan defaultValue, Poco::Timespan min, Poco::Timespan max);

    /// A byte count in [min, max]: a number, or a number with unit K, M or G (powers of 1024).
    std::uint64_t getByteSize(const std::string& key, std::uint64_t defaultValue, std::uint64_t min, std::uint64_t max);

    /// One of `choices`, compared without regard to case; returned in the spelling of `choices`.
    std::string getChoice(const std::string& key, const std::string& defaultValue, std::initializer_list<const char*> choices);

    /// A list separated by commas, semicolons or white space; empty items are dropped.
    std::vector<std::string> getList(const std::string& key, const std::vector<std::string>& defaultValue);

    /// Throws ConfigError for the first key below the prefix that no getter was asked for.
    void rejectUnknownKeys() const;

    /// The full name of `key`, e.g. "route.idle_timeout".
    std::string fullKey(const std::string& key) const;

private:
    bool lookup(const std::string& key, std::string& value);

    const Poco::Util::AbstractConfiguration& config_;
    std::string prefix_;
    std::set<std::string> known_;
};

/// Every key below `prefix` that has a value (names relative to the prefix), with its raw value.
std::map<std::string, std::string> flattenConfig(const Poco::Util::AbstractConfiguration& config, const std::string& prefix = "");

/// Formats a duration for logs and messages: "250ms", "5s", "1.5s".
std::string formatDuration(Poco::Timespan span);

} // namespace tthost
