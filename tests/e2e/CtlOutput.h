#pragma once

// Reading what ttctl printed, for the e2e_ctl suite: its lines, its tables (cells under
// headers), the "name: value" lines of `ttctl status`, and the one JSON line of --json. Each
// fails the running test when the text is not what it reads.

#include <Poco/JSON/Object.h>

#include <map>
#include <string>
#include <vector>

/// The lines of `text`, without their newlines.
std::vector<std::string> lines(const std::string& text);

/// A line of a table, split where two or more spaces separate its cells.
std::vector<std::string> cells(const std::string& line);

/// One row of a table: its cells by the headers above them.
using Row = std::map<std::string, std::string>;

/// A table as ttctl prints it: a header line, then a row a line, each cell under its header.
std::vector<Row> parseTable(const std::string& text);

/// The "name: value" lines of `ttctl status`, by name.
std::map<std::string, std::string> parseFields(const std::string& text);

/// The field `name` of `fields` (parsed from `text`, shown when it is missing).
std::string field(const std::map<std::string, std::string>& fields, const std::string& name, const std::string& text);

/// ttctl's --json output: one line holding a JSON object.
Poco::JSON::Object::Ptr jsonLine(const std::string& text);
