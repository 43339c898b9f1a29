#pragma once

// What the e2e_ctl suite's tests share beyond running ttctl and reading its output: the
// configuration they start tthost with, the token of those that set one, a msg server's id as
// ttctl names it, and changing the running configuration so that only `ttctl reload` sees it.

#include "CtlRun.h"
#include "FakeMsgServer.h"
#include "HostProperties.h"
#include "RunningHost.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

/// The admin token of the tests that set host.admin.token.
extern const std::string kToken;

/// The configuration every test starts from: the route plugin and the admin endpoint on
/// ephemeral loopback ports, a drain timeout of 2 s, no heartbeats or idle timeouts to blur
/// the counts.
tttest::HostProperties config();

/// The id the admin endpoint on `admin` gives `fake`, as ttctl prints it.
std::string idOf(std::uint16_t admin, tttest::FakeMsgServer& fake);

/// Replaces `from` by `to` (of the same length) in the file at `path` in place, and puts its
/// modification time back: tthost's watcher, which compares the file's modification time,
/// size and inode every second, does not see the change (unless its look falls between the
/// write and the restore), so it is left to a POST /reload.
void rewriteBehindTheWatcher(const std::string& path, const std::string& from, const std::string& to);

/// Sets `key` from `value` to one of `next` (values of the same length) and has `ttctl reload`
/// (with `args`) apply it: the values are tried in turn until the reload is the one that
/// applies the change, since the watcher may see a change first (then the log must show it did,
/// and the reload must have found nothing changed). Returns the run that applied it and the value.
std::pair<CtlRun, std::string> reloadChange(tttest::RunningHost& host, const std::vector<std::string>& args, const std::string& key,
                                            std::string value, const std::vector<std::string>& next);
