#pragma once

#include <string>

namespace tthost
{

/// Detaches tthost for --daemon while keeping start-up errors visible.
///
/// The launching process forks and waits: when the daemon reports that it serves, the
/// launcher exits 0; when the daemon reports a failure, the launcher prints its message and
/// exits with its status. So `tthost --daemon` with a bad configuration still exits 78 with
/// the one-line error, instead of a silent daemon that dies in the background.
class Daemon
{
public:
    /// Forks; returns in the daemon only (a new session, same working directory). The
    /// launcher waits for the report, then exits. Throws std::system_error when fork fails.
    static Daemon detach();

    Daemon(Daemon&& other) noexcept;
    ~Daemon();
    Daemon(const Daemon&) = delete;
    Daemon& operator=(const Daemon&) = delete;
    Daemon& operator=(Daemon&&) = delete;

    /// Reports that the daemon serves: the launcher exits 0, and the daemon's standard
    /// streams go to /dev/null (logs belong in a file or syslog channel).
    void ready();

    /// Reports that start-up failed: the launcher prints `message` and exits with `status`.
    void failed(int status, const std::string& message);

private:
    explicit Daemon(int reportFd);

    int reportFd_; ///< write end of the pipe the launcher reads; -1 once reported
};

} // namespace tthost
