#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace ttctl
{

/// Values as people read them in ttctl's tables, and durations as people write them on its
/// command line. Static only, as Poco::NumberFormatter.
class HumanText
{
public:
    HumanText() = delete;

    /// A byte count the way `ls -h` shows one: "812B", "1.5K", "15K", "2.0M" (powers of 1024).
    static std::string bytes(std::uint64_t count);

    /// A span of time in at most two units: "0.4s", "12s", "5m 12s", "2h 5m", "3d 4h".
    static std::string duration(double seconds);

    /// An ISO 8601 time as the server writes it ("2026-11-29T03:49:54.123456Z"), to the
    /// second and in UTC ("2026-11-29T03:49:54Z"); text that is not such a time stays as it is.
    static std::string time(const std::string& iso8601);

    /// A duration as tthost reads them in its configuration: a number with a unit of ms, s,
    /// m (or min) or h, or a bare number for seconds ("250ms", "30s", "1.5m", "2h", "45");
    /// none when `text` is not one.
    static std::optional<std::chrono::milliseconds> parseDuration(const std::string& text);
};

} // namespace ttctl
