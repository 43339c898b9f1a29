// A daemonised tthost watched through /proc and killed if a test leaves it running (DaemonGuard.h).
#include "DaemonGuard.h"

#include "HostProcess.h"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <dirent.h>
#include <unistd.h>
#include <utility>
#include <vector>

namespace
{

/// The state letter of /proc/<pid>/stat ('R', 'S', 'Z', ...), or 0 when there is none.
char processState(pid_t pid)
{
    const std::string stat = tttest::readFile("/proc/" + std::to_string(pid) + "/stat");
    const auto paren = stat.rfind(')');
    return paren != std::string::npos && paren + 2 < stat.size() ? stat[paren + 2] : 0;
}

/// Processes other than this one holding a file open inside `dir`: the daemon, if a test
/// failed before it could read the pid file.
std::vector<pid_t> processesUsing(const std::string& dir)
{
    std::vector<pid_t> pids;
    DIR* proc = ::opendir("/proc");
    if (!proc)
        return pids;
    while (const dirent* entry = ::readdir(proc))
    {
        const pid_t pid = static_cast<pid_t>(std::atoi(entry->d_name));
        if (pid <= 0 || pid == ::getpid())
            continue;
        const std::string fdDir = "/proc/" + std::string(entry->d_name) + "/fd";
        DIR* fds = ::opendir(fdDir.c_str());
        if (!fds)
            continue;
        bool uses = false;
        while (const dirent* fd = ::readdir(fds))
        {
            char target[4096];
            const ssize_t size = ::readlink((fdDir + "/" + fd->d_name).c_str(), target, sizeof target - 1);
            if (size > 0 && std::string(target, static_cast<std::size_t>(size)).rfind(dir + "/", 0) == 0)
                uses = true;
        }
        ::closedir(fds);
        if (uses)
            pids.push_back(pid);
    }
    ::closedir(proc);
    return pids;
}

} // namespace

bool processGone(pid_t pid)
{
    if (::kill(pid, 0) != 0)
        return errno == ESRCH;
    const char state = processState(pid);
    return state == 'Z' || state == 'X';
}

DaemonGuard::DaemonGuard(std::string dir)
    : dir_(std::move(dir))
{
}

DaemonGuard::~DaemonGuard()
{
    if (pid_ > 0)
    {
        if (!processGone(pid_))
            ::kill(pid_, SIGKILL);
        return;
    }
    // The pid file was never read: find the daemon by the log file it holds open here.
    for (pid_t pid : processesUsing(dir_))
        ::kill(pid, SIGKILL);
}
