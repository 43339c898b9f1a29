#include "Table.h"

#include <algorithm>
#include <stdexcept>

namespace ttctl
{

Table::Table(std::vector<Column> columns)
    : columns_(std::move(columns))
{
}

void Table::add(std::vector<std::string> cells)
{
    if (cells.size() != columns_.size())
        throw std::logic_error("a table row with " + std::to_string(cells.size()) + " cells for " + std::to_string(columns_.size()) + " columns");
    for (std::string& cell : cells)
        if (cell.empty())
            cell = "-";
    rows_.push_back(std::move(cells));
}

void Table::print(std::ostream& out) const
{
    std::vector<std::size_t> widths;
    for (const Column& column : columns_)
        widths.push_back(column.header.size());
    for (const auto& row : rows_)
        for (std::size_t i = 0; i < row.size(); ++i)
            widths[i] = std::max(widths[i], row[i].size());

    auto printRow = [&](const std::vector<std::string>& cells) {
        std::string line;
        for (std::size_t i = 0; i < cells.size(); ++i)
        {
            const std::string padding(widths[i] - cells[i].size(), ' ');
            if (i > 0)
                line += "  ";
            line += columns_[i].align == Align::Right ? padding + cells[i] : cells[i] + padding;
        }
        line.erase(line.find_last_not_of(' ') + 1);
        out << line << '\n';
    };
    std::vector<std::string> headers;
    for (const Column& column : columns_)
        headers.push_back(column.header);
    printRow(headers);
    for (const auto& row : rows_)
        printRow(row);
}

} // namespace ttctl
