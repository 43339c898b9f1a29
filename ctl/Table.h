#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace ttctl
{

/// A table for people: a header row and rows of cells, printed in columns two spaces apart,
/// each as wide as its widest cell; numeric columns are aligned to the right. Empty cells
/// are printed as "-", so every row has a word in every column.
class Table
{
public:
    /// How a column's cells line up.
    enum class Align
    {
        Left,  ///< words
        Right, ///< numbers
    };

    /// One column: its header and alignment.
    struct Column
    {
        std::string header;        ///< its name in the header row, e.g. "PDUS IN"
        Align align = Align::Left; ///< how its cells line up
    };

    /// A table with `columns`.
    explicit Table(std::vector<Column> columns);

    /// Appends a row; it must have one cell per column.
    void add(std::vector<std::string> cells);

    /// True before the first add().
    bool empty() const { return rows_.empty(); }

    /// Prints the header and the rows, one line each, without trailing spaces.
    void print(std::ostream& out) const;

private:
    std::vector<Column> columns_;
    std::vector<std::vector<std::string>> rows_;
};

} // namespace ttctl
