#include "CtlOutput.h"

#include "AdminHttp.h"

#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <regex>
#include <sstream>

std::vector<std::string> lines(const std::string& text)
{
    std::vector<std::string> result;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        result.push_back(line);
    return result;
}

std::vector<std::string> cells(const std::string& line)
{
    static const std::regex separator(" {2,}");
    std::vector<std::string> result;
    const std::string trimmed = line.substr(std::min(line.size(), line.find_first_not_of(' ')));
    for (auto it = std::sregex_token_iterator(trimmed.begin(), trimmed.end(), separator, -1); it != std::sregex_token_iterator(); ++it)
        result.push_back(*it);
    return result;
}

std::vector<Row> parseTable(const std::string& text)
{
    const auto all = lines(text);
    CPPUNIT_ASSERT_MESSAGE("no table: " + text, !all.empty());
    const auto headers = cells(all.front());
    std::vector<Row> rows;
    for (std::size_t i = 1; i < all.size(); ++i)
    {
        const auto values = cells(all[i]);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("line " + std::to_string(i) + " of\n" + text, headers.size(), values.size());
        Row row;
        for (std::size_t j = 0; j < headers.size(); ++j)
            row[headers[j]] = values[j];
        rows.push_back(row);
    }
    return rows;
}

std::map<std::string, std::string> parseFields(const std::string& text)
{
    std::map<std::string, std::string> fields;
    for (const std::string& line : lines(text))
    {
        const std::size_t colon = line.find(": ");
        CPPUNIT_ASSERT_MESSAGE("not 'name: value': '" + line + "' in\n" + text, colon != std::string::npos);
        const std::size_t value = line.find_first_not_of(' ', colon + 1);
        fields[line.substr(0, colon)] = value == std::string::npos ? "" : line.substr(value);
    }
    return fields;
}

std::string field(const std::map<std::string, std::string>& fields, const std::string& name, const std::string& text)
{
    const auto found = fields.find(name);
    CPPUNIT_ASSERT_MESSAGE("no '" + name + "' in\n" + text, found != fields.end());
    return found->second;
}

Poco::JSON::Object::Ptr jsonLine(const std::string& text)
{
    CPPUNIT_ASSERT_MESSAGE("not one line: " + text, !text.empty() && text.back() == '\n' && std::count(text.begin(), text.end(), '\n') == 1);
    return tttest::jsonObject(text);
}
