#include "tthost/MetricsWriter.h"

#include <cmath>
#include <cstdio>

namespace tthost
{
namespace
{

/// A label value with backslash, double quote and line feed escaped, as the format wants.
std::string escapeLabel(const std::string& value)
{
    std::string escaped;
    for (char c : value)
    {
        if (c == '\\')
            escaped += "\\\\";
        else if (c == '"')
            escaped += "\\\"";
        else if (c == '\n')
            escaped += "\\n";
        else
            escaped += c;
    }
    return escaped;
}

/// A help text with backslash and line feed escaped.
std::string escapeHelp(const std::string& help)
{
    std::string escaped;
    for (char c : help)
    {
        if (c == '\\')
            escaped += "\\\\";
        else if (c == '\n')
            escaped += "\\n";
        else
            escaped += c;
    }
    return escaped;
}

std::string number(double value)
{
    if (std::isnan(value))
        return "NaN";
    if (std::isinf(value))
        return value > 0 ? "+Inf" : "-Inf";
    char text[64];
    // Whole numbers (counters) exactly, others with enough digits to round-trip.
    if (value == std::floor(value) && std::fabs(value) < 1e15)
        std::snprintf(text, sizeof text, "%.0f", value);
    else
        std::snprintf(text, sizeof text, "%.17g", value);
    return text;
}

} // namespace

void MetricsWriter::family(const std::string& name, Type type, const std::string& help)
{
    name_ = name;
    text_ += "# HELP " + name + " " + escapeHelp(help) + "\n";
    text_ += "# TYPE " + name + (type == Type::Counter ? " counter\n" : " gauge\n");
}

void MetricsWriter::sample(double value, std::initializer_list<Label> labels)
{
    text_ += name_;
    if (labels.size() > 0)
    {
        text_ += "{";
        bool first = true;
        for (const auto& [label, labelValue] : labels)
        {
            text_ += (first ? "" : ",") + std::string(label) + "=\"" + escapeLabel(labelValue) + "\"";
            first = false;
        }
        text_ += "}";
    }
    text_ += " " + number(value) + "\n";
}

} // namespace tthost
