#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <sys/types.h>
#include <vector>

namespace tttest
{

/// A scratch directory, removed with everything in it when the object goes.
class TempDir
{
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    /// Absolute path of the directory.
    const std::string& path() const { return path_; }

    /// Writes `content` to `name` inside the directory and returns its path.
    std::string write(const std::string& name, const std::string& content) const;

private:
    std::string path_;
};

/// The content of the file at `path`; empty when there is none (or it went away while read).
std::string readFile(const std::string& path);

/// The real tthost binary as a child process, its stdout and stderr going to a file.
/// Killed (SIGKILL) and reaped on destruction if a test left it running.
class HostProcess
{
public:
    /// Starts `executable` with `args` and `workDir` as working directory; stdout goes to
    /// `logFile`, and so does stderr unless `errorFile` names a file of its own for it. With
    /// `ownProcessGroup` the child leads a process group of its own, and everything in that
    /// group is killed with it (when it exits, in wait(), or on destruction): for programs
    /// that start children of their own, such as a browser.
    HostProcess(const std::string& executable, const std::vector<std::string>& args, const std::string& workDir,
                const std::string& logFile, const std::string& errorFile = "", bool ownProcessGroup = false);
    ~HostProcess();
    HostProcess(const HostProcess&) = delete;
    HostProcess& operator=(const HostProcess&) = delete;

    /// The child's pid.
    pid_t pid() const { return pid_; }

    /// Everything the child wrote so far (to stdout only when stderr has a file of its own).
    std::string output() const;

    /// Waits until the output contains `text`; false when it does not within `timeout` or the child exited.
    bool waitForOutput(const std::string& text, std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;

    /// Waits for the "listening on 127.0.0.1:PORT" line and returns PORT (the n-th such line, from 0).
    std::uint16_t waitForListenPort(std::size_t nth = 0, std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;

    /// Sends `signal` to the child.
    void signal(int signal) const;

    /// Waits for the child to exit and returns its exit status (128+N when killed by signal N),
    /// or -1 when it is still running after `timeout`.
    int wait(std::chrono::milliseconds timeout = std::chrono::seconds(15));

    /// True until wait() saw the child exit.
    bool running() const { return pid_ > 0; }

private:
    /// With a process group of its own: kills what is left of the group (the child itself
    /// is dead or a zombie not yet reaped, so its id cannot have been reused).
    void killGroup() const;

    pid_t pid_ = -1;
    std::string logFile_;
    bool ownProcessGroup_ = false;
};

/// Runs `executable` with `args` to completion (at most `timeout`) and returns its exit
/// status; its output is stored in `output`.
int runToCompletion(const std::string& executable, const std::vector<std::string>& args, const std::string& workDir,
                    std::string& output, std::chrono::milliseconds timeout = std::chrono::seconds(15));

/// runToCompletion() for a program that starts children of its own (a browser): it runs in a
/// process group of its own, killed whole when it exits or after `timeout` (status -1 then);
/// its stdout is stored in `output` and its stderr, kept apart, in `errors`.
int runGroupToCompletion(const std::string& executable, const std::vector<std::string>& args, const std::string& workDir,
                         std::string& output, std::string& errors, std::chrono::milliseconds timeout);

} // namespace tttest
