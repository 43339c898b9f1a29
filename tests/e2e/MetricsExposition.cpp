// The Prometheus text format 0.0.4 checked line by line (MetricsExposition.h).
#include "MetricsExposition.h"

#include "LogLines.h"

#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <cstdlib>
#include <regex>
#include <sstream>

namespace
{

bool validName(const std::string& name)
{
    static const std::regex pattern("[a-zA-Z_:][a-zA-Z0-9_:]*");
    return std::regex_match(name, pattern);
}

bool endsWith(const std::string& text, const std::string& suffix)
{
    return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

/// Parses `{name="value",...}` at `at` (on the '{'); returns false with `why` on a syntax error.
bool parseLabels(const std::string& line, std::size_t& at, Labels& labels, std::string& why)
{
    static const std::regex labelName("[a-zA-Z_][a-zA-Z0-9_]*");
    ++at; // '{'
    if (at < line.size() && line[at] == '}')
    {
        ++at;
        return true;
    }
    for (;;)
    {
        const std::size_t equals = line.find('=', at);
        if (equals == std::string::npos)
            return why = "a label without '='", false;
        const std::string name = line.substr(at, equals - at);
        if (!std::regex_match(name, labelName))
            return why = "invalid label name '" + name + "'", false;
        if (name.rfind("__", 0) == 0)
            return why = "reserved label name '" + name + "'", false;
        at = equals + 1;
        if (at >= line.size() || line[at] != '"')
            return why = "label " + name + ": value not in double quotes", false;
        ++at;
        std::string value;
        for (;;)
        {
            if (at >= line.size())
                return why = "label " + name + ": unterminated value", false;
            const char c = line[at++];
            if (c == '"')
                break;
            if (c == '\\')
            {
                if (at >= line.size())
                    return why = "label " + name + ": a backslash at the end", false;
                const char escaped = line[at++];
                if (escaped == '\\' || escaped == '"')
                    value += escaped;
                else if (escaped == 'n')
                    value += '\n';
                else
                    return why = std::string("label ") + name + ": invalid escape \\" + escaped, false;
            }
            else
                value += c;
        }
        if (!labels.emplace(name, value).second)
            return why = "label " + name + " given twice", false;
        if (at >= line.size())
            return why = "no '}' after the labels", false;
        if (line[at] == '}')
        {
            ++at;
            return true;
        }
        if (line[at] != ',')
            return why = std::string("'") + line[at] + "' after label " + name + " (want ',' or '}')", false;
        ++at;
    }
}

} // namespace

double Exposition::value(const std::string& name, const Labels& labels) const
{
    const auto family = families.find(name);
    if (family != families.end())
        for (const Sample& sample : family->second.samples)
            if (sample.labels == labels)
                return sample.value;
    CPPUNIT_FAIL("no sample " + sampleName(name, labels) + " on the page:\n" + text);
    return 0;
}

std::set<std::string> Exposition::labelValues(const std::string& name, const std::string& label) const
{
    std::set<std::string> values;
    const auto family = families.find(name);
    if (family != families.end())
        for (const Sample& sample : family->second.samples)
        {
            const auto found = sample.labels.find(label);
            values.insert(found == sample.labels.end() ? "(none)" : found->second);
        }
    return values;
}

std::string sampleName(const std::string& name, const Labels& labels)
{
    std::string text = name;
    if (!labels.empty())
    {
        text += "{";
        for (const auto& [label, value] : labels)
            text += (text.back() == '{' ? "" : ",") + label + "=\"" + value + "\"";
        text += "}";
    }
    return text;
}

Exposition parseExposition(const std::string& page)
{
    static const std::regex numberPattern(R"([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[+-]?Inf|NaN)");
    Exposition result;
    result.text = page;
    auto problem = [&](std::size_t lineNumber, const std::string& line, const std::string& what) {
        result.problems.push_back("line " + std::to_string(lineNumber) + " '" + line + "': " + what);
    };
    if (page.empty() || page.back() != '\n')
        result.problems.push_back("the page does not end with a line feed");

    std::string current;            // the family whose lines come now
    std::set<std::string> finished; // families whose group ended
    auto enter = [&](const std::string& name, std::size_t lineNumber, const std::string& line) {
        if (name == current)
            return;
        if (finished.count(name))
            problem(lineNumber, line, "the lines of " + name + " are not one group");
        if (!current.empty())
            finished.insert(current);
        current = name;
    };
    // The family of a # HELP or # TYPE line (`kind`), which must come before its samples.
    auto describedFamily = [&](const std::string& name, const std::string& kind, std::size_t lineNumber, const std::string& line) -> Family& {
        enter(name, lineNumber, line);
        Family& family = result.families[name];
        if (!family.samples.empty())
            problem(lineNumber, line, "# " + kind + " after samples of " + name);
        return family;
    };

    std::vector<std::string> lines = tttest::completeLines(page, 0);
    if (!page.empty() && page.back() != '\n')
        lines.push_back(page.substr(page.rfind('\n') == std::string::npos ? 0 : page.rfind('\n') + 1));
    for (std::size_t i = 0; i < lines.size(); ++i)
    {
        const std::string& line = lines[i];
        const std::size_t lineNumber = i + 1;
        if (line.empty())
        {
            problem(lineNumber, line, "empty line");
            continue;
        }
        if (line.rfind("# HELP ", 0) == 0)
        {
            const std::string rest = line.substr(7);
            const std::size_t space = rest.find(' ');
            const std::string name = rest.substr(0, space);
            if (!validName(name))
            {
                problem(lineNumber, line, "invalid metric name '" + name + "'");
                continue;
            }
            const std::string help = space == std::string::npos ? std::string() : rest.substr(space + 1);
            for (std::size_t at = help.find('\\'); at != std::string::npos; at = help.find('\\', at + 2))
                if (at + 1 >= help.size() || (help[at + 1] != '\\' && help[at + 1] != 'n'))
                    problem(lineNumber, line, "invalid escape in the help text");
            Family& family = describedFamily(name, "HELP", lineNumber, line);
            if (++family.helps > 1)
                problem(lineNumber, line, "a second # HELP for " + name);
            continue;
        }
        if (line.rfind("# TYPE ", 0) == 0)
        {
            std::istringstream words(line.substr(7));
            std::string name, type, more;
            words >> name >> type >> more;
            if (!validName(name) || type.empty() || !more.empty() || line != "# TYPE " + name + " " + type)
            {
                problem(lineNumber, line, "not '# TYPE name type'");
                continue;
            }
            Family& family = describedFamily(name, "TYPE", lineNumber, line);
            if (++family.types > 1)
                problem(lineNumber, line, "a second # TYPE for " + name);
            if (type != "counter" && type != "gauge")
                problem(lineNumber, line, "type '" + type + "' is neither counter nor gauge");
            if (type == "counter" && !endsWith(name, "_total"))
                problem(lineNumber, line, "counter " + name + " does not end in _total");
            family.type = type;
            continue;
        }
        if (line[0] == '#')
            continue; // a plain comment: the format ignores it

        // A sample: name{labels} value
        std::size_t at = 0;
        while (at < line.size() && line[at] != '{' && line[at] != ' ')
            ++at;
        const std::string name = line.substr(0, at);
        if (!validName(name))
        {
            problem(lineNumber, line, "invalid metric name '" + name + "'");
            continue;
        }
        Labels labels;
        std::string why;
        if (at < line.size() && line[at] == '{' && !parseLabels(line, at, labels, why))
        {
            problem(lineNumber, line, why);
            continue;
        }
        if (at >= line.size() || line[at] != ' ')
        {
            problem(lineNumber, line, "no single space before the value");
            continue;
        }
        const std::string valueText = line.substr(at + 1);
        if (!std::regex_match(valueText, numberPattern))
        {
            problem(lineNumber, line, "'" + valueText + "' is not a number (or has a timestamp or extra spaces)");
            continue;
        }
        const double value = std::strtod(valueText.c_str(), nullptr);
        enter(name, lineNumber, line);
        Family& family = result.families[name];
        if (family.helps == 0 || family.types == 0)
            problem(lineNumber, line, "a sample of " + name + " before its # HELP and # TYPE lines");
        if (std::any_of(family.samples.begin(), family.samples.end(), [&](const Sample& s) { return s.labels == labels; }))
            problem(lineNumber, line, "a second sample with the same labels");
        if (family.type == "counter" && !(value >= 0))
            problem(lineNumber, line, "a counter below zero or NaN");
        family.samples.push_back({labels, value});
    }
    for (const auto& [name, family] : result.families)
        if (family.helps != 1 || family.types != 1)
            result.problems.push_back(name + ": " + std::to_string(family.helps) + " # HELP and " + std::to_string(family.types) +
                                      " # TYPE lines (want one each)");
    return result;
}

std::string joinLines(const std::vector<std::string>& lines)
{
    std::string text;
    for (const auto& line : lines)
        text += line + "\n";
    return text;
}
