#pragma once

// A daemonised tthost is no child of the test: it cannot be waited for or reaped, only watched
// through /proc and killed.

#include <string>
#include <sys/types.h>

/// True once `pid` no longer runs: kill(pid, 0) fails with ESRCH, or it is a zombie that its new
/// parent (a daemon is reparented) has not reaped yet.
bool processGone(pid_t pid);

/// Kills (SIGKILL) a daemonised tthost when the test ends with it still running: the one watch()
/// named, or else whatever holds a file open in the directory the daemon was started in (the
/// test failed before it could read the pid file).
class DaemonGuard
{
public:
    /// Guards the daemon started in `dir`.
    explicit DaemonGuard(std::string dir);

    /// Kills the daemon unless it is gone.
    ~DaemonGuard();

    DaemonGuard(const DaemonGuard&) = delete;
    DaemonGuard& operator=(const DaemonGuard&) = delete;

    /// The daemon's pid, once the pid file told it.
    void watch(pid_t pid) { pid_ = pid; }

private:
    std::string dir_; ///< where the daemon was started: its log file is open in there
    pid_t pid_ = -1;  ///< the daemon, once watch() named it
};
