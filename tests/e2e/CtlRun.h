#pragma once

// Running ttctl (the binary of this build, TTCTL_PATH) as a child process for the e2e_ctl
// suite: to completion or in the background, with $TTCTL_TOKEN unset unless a test sets it,
// and what a run must look like when it succeeds or fails.

#include "HostProcess.h"

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

/// What one run of ttctl did.
struct CtlRun
{
    int status = -1;     ///< its exit status (128+N when killed by signal N)
    std::string out;     ///< what it wrote to stdout
    std::string err;     ///< what it wrote to stderr
    std::string command; ///< its command line, for messages

    /// The command line, exit status and output, for assertion messages.
    std::string describe() const;
};

/// Runs ttctl with `args` to completion (at most 60 s), with `environment` ("NAME=value")
/// and $TTCTL_TOKEN unset otherwise.
CtlRun runCtl(const std::vector<std::string>& args, const std::vector<std::string>& environment = {});

/// `args` after the options that point ttctl at the admin endpoint on `port`, with no
/// properties file.
std::vector<std::string> at(std::uint16_t port, std::vector<std::string> args);

/// Asserts a success: status 0, something on stdout, nothing on stderr.
void assertSuccess(const CtlRun& run);

/// Asserts a failure: `status`, nothing on stdout, and exactly one line on stderr, "ttctl: ..."
/// containing every one of `parts`.
void assertFailure(const CtlRun& run, int status, const std::vector<std::string>& parts);

/// ttctl running in the background (a trace), its stdout and stderr in files of their own.
class BackgroundCtl
{
public:
    /// Starts ttctl with `args` and $TTCTL_TOKEN unset.
    explicit BackgroundCtl(const std::vector<std::string>& args);

    /// What it wrote to stdout so far.
    std::string out() const;

    /// The child process, to signal.
    tttest::HostProcess& process() { return process_; }

    /// Waits for ttctl to exit (at most `timeout`) and returns what it did.
    CtlRun finish(std::chrono::milliseconds timeout = std::chrono::seconds(60));

private:
    tttest::TempDir scratch_;     ///< holds its stdout and stderr
    std::string command_;         ///< its command line, for messages
    tttest::HostProcess process_; ///< ttctl itself
};
