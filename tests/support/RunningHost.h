#pragma once

#include "HostProcess.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace tttest
{

/// The tthost of this build (TTHOST_PATH) serving `properties` from a fresh temporary
/// directory, its output in tthost.log there. Killed (SIGKILL) and reaped on destruction if a
/// test left it running.
class RunningHost
{
public:
    /// Writes `properties` to `configName` in a new temporary directory and starts tthost there
    /// with `args`.
    explicit RunningHost(const std::string& properties, std::vector<std::string> args = {"--config-file=tthost.properties"},
                         const std::string& configName = "tthost.properties");

    /// The child process.
    HostProcess& process() { return *process_; }

    /// The child process, to read from.
    const HostProcess& process() const { return *process_; }

    /// The temporary directory it runs in.
    const TempDir& dir() const { return dir_; }

    /// The absolute path of its properties file.
    std::string configPath() const;

    /// Everything tthost logged so far.
    std::string log() const;

    /// Where the log ends now: wait for lines after this point.
    std::size_t mark() const;

    /// Waits for a complete log line after byte `from` containing every one of `parts` and
    /// returns it; fails the test, showing the log, when none comes within `timeout`.
    std::string waitForLine(std::size_t from, const std::vector<std::string>& parts,
                            std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;

    /// Replaces the properties file (atomically, by rename: a new inode); tthost polls it
    /// every second.
    void rewrite(const std::string& properties) const;

    /// The route port: the `nth` (from 0) "listening on 127.0.0.1:PORT" line's PORT, which
    /// must be an ephemeral one (neither 0 nor the default 8200).
    std::uint16_t port(std::size_t nth = 0);

    /// The admin port: the `nth` (from 0) "admin endpoint at http://127.0.0.1:PORT/" line's
    /// PORT, which must be an ephemeral one (neither 0 nor the default 8280).
    std::uint16_t adminPort(std::size_t nth = 0) const;

    /// Sends `signal` and returns the exit status (-1 when it did not exit within 15 s).
    int stopWith(int signal);

private:
    TempDir dir_;
    std::string configName_;
    std::unique_ptr<HostProcess> process_;
};

} // namespace tttest
