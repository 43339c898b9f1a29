#pragma once

#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace ttctl
{

/// A short block of "name: value" lines for people, the values lined up in one column.
class FieldList
{
public:
    /// Appends a line; an empty value is printed as "-".
    void add(const std::string& name, const std::string& value);

    /// Prints the lines.
    void print(std::ostream& out) const;

private:
    std::vector<std::pair<std::string, std::string>> fields_;
};

} // namespace ttctl
