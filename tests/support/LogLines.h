#pragma once

// Finding lines in a growing log text (a child's output file, a captured log), by the parts
// they must contain, from a byte offset on: what was logged before an action is left out by
// starting after it.

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace tttest
{

/// The complete (newline-terminated) lines of `text` from byte `from` on, without their
/// newlines; a last line still being written is left out.
std::vector<std::string> completeLines(const std::string& text, std::size_t from);

/// The complete lines of `text` from byte `from` on that contain every one of `parts`.
std::vector<std::string> linesWith(const std::string& text, const std::vector<std::string>& parts, std::size_t from = 0);

/// Polls `source` (every 20 ms) until a complete line after byte `from` contains every one of
/// `parts` and returns the first such line; fails the running test, showing the whole text,
/// when none appears within `timeout`.
std::string waitForLine(const std::function<std::string()>& source, std::size_t from, const std::vector<std::string>& parts,
                        std::chrono::milliseconds timeout = std::chrono::seconds(10));

} // namespace tttest
