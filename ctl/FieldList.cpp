#include "FieldList.h"

#include <algorithm>

namespace ttctl
{

void FieldList::add(const std::string& name, const std::string& value)
{
    fields_.emplace_back(name, value.empty() ? "-" : value);
}

void FieldList::print(std::ostream& out) const
{
    std::size_t width = 0;
    for (const auto& field : fields_)
        width = std::max(width, field.first.size());
    for (const auto& [name, value] : fields_)
        out << name << ':' << std::string(width - name.size() + 2, ' ') << value << '\n';
}

} // namespace ttctl
