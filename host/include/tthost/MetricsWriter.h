#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>

namespace tthost
{

/// Builds a page in the Prometheus text exposition format, version 0.0.4: each metric family
/// starts with its # HELP and # TYPE lines, then its samples.
class MetricsWriter
{
public:
    /// The Prometheus types this writer emits.
    enum class Type
    {
        Counter, ///< only grows; its name ends in _total
        Gauge,   ///< goes up and down
    };

    /// A label name and its value (escaped when written).
    using Label = std::pair<const char*, std::string>;

    /// Starts the family `name` with its help text; samples follow.
    void family(const std::string& name, Type type, const std::string& help);

    /// A sample of the current family, with labels.
    void sample(double value, std::initializer_list<Label> labels = {});

    /// The page so far.
    const std::string& text() const { return text_; }

    /// The Content-Type of such a page.
    static constexpr const char* kContentType = "text/plain; version=0.0.4; charset=utf-8";

private:
    std::string name_;
    std::string text_;
};

} // namespace tthost
