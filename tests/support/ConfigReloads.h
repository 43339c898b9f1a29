#pragma once

// Reloads of a running tthost's properties file as its file poll sees them: the file replaced,
// and the line that says which values changed.

#include "RunningHost.h"

#include <cstddef>
#include <string>
#include <vector>

namespace tttest
{

/// The parts of the line tthost logs when its file poll applied a changed file,
/// "configuration reloaded after FILE changed: CHANGES", with every one of `changes`
/// ("route.allow: (unset) -> 127.0.0.1/32").
std::vector<std::string> reloadedAfterChange(const std::vector<std::string>& changes);

/// A reload by the file poll, done.
struct FileReload
{
    std::size_t mark; ///< where the log ended before the file changed: later lines come after it
    std::string line; ///< the line that applied the file
};

/// Replaces `host`'s properties file with `properties` and waits (at most 10 s) for the line
/// that applied it listing every one of `changes`; fails the test, showing the log, when none comes.
FileReload reloadFile(const RunningHost& host, const std::string& properties, const std::vector<std::string>& changes);

} // namespace tttest
