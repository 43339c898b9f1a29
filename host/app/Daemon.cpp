#include "Daemon.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <string>
#include <sys/wait.h>
#include <system_error>
#include <unistd.h>

namespace tthost
{
namespace
{

void writeAll(int fd, const std::string& text)
{
    std::size_t done = 0;
    while (done < text.size())
    {
        const ssize_t written = ::write(fd, text.data() + done, text.size() - done);
        if (written < 0 && errno == EINTR)
            continue;
        if (written <= 0)
            return;
        done += static_cast<std::size_t>(written);
    }
}

/// The launcher's side: reads "STATUS\nMESSAGE" from the daemon and exits accordingly.
[[noreturn]] void awaitReport(int readFd, pid_t daemon)
{
    std::string report;
    char chunk[4096];
    for (;;)
    {
        const ssize_t got = ::read(readFd, chunk, sizeof chunk);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        report.append(chunk, static_cast<std::size_t>(got));
    }
    const auto newline = report.find('\n');
    if (newline == std::string::npos)
    {
        // The daemon ended without a report (e.g. --help, or a bad option it printed itself):
        // its exit status is the answer.
        int status = 0;
        ::waitpid(daemon, &status, 0);
        if (WIFEXITED(status))
            std::exit(WEXITSTATUS(status));
        std::fprintf(stderr, "tthost: the daemon was killed by signal %d during start-up\n", WTERMSIG(status));
        std::exit(70);
    }
    const std::string message = report.substr(newline + 1);
    if (!message.empty())
        std::fprintf(stderr, "%s", message.c_str());
    std::exit(std::atoi(report.substr(0, newline).c_str()));
}

} // namespace

Daemon Daemon::detach()
{
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0)
        throw std::system_error(errno, std::generic_category(), "pipe");
    const pid_t child = ::fork();
    if (child < 0)
        throw std::system_error(errno, std::generic_category(), "fork");
    if (child > 0)
    {
        ::close(fds[1]);
        awaitReport(fds[0], child);
    }
    ::close(fds[0]);
    ::setsid();
    return Daemon(fds[1]);
}

Daemon::Daemon(int reportFd)
    : reportFd_(reportFd)
{
}

Daemon::Daemon(Daemon&& other) noexcept
    : reportFd_(other.reportFd_)
{
    other.reportFd_ = -1;
}

Daemon::~Daemon()
{
    if (reportFd_ >= 0)
        ::close(reportFd_);
}

void Daemon::ready()
{
    if (reportFd_ < 0)
        return;
    writeAll(reportFd_, "0\n");
    ::close(reportFd_);
    reportFd_ = -1;
    const int null = ::open("/dev/null", O_RDWR);
    if (null >= 0)
    {
        ::dup2(null, STDIN_FILENO);
        ::dup2(null, STDOUT_FILENO);
        ::dup2(null, STDERR_FILENO);
        if (null > STDERR_FILENO)
            ::close(null);
    }
}

void Daemon::failed(int status, const std::string& message)
{
    if (reportFd_ < 0)
        return;
    writeAll(reportFd_, std::to_string(status) + "\n" + message);
    ::close(reportFd_);
    reportFd_ = -1;
}

} // namespace tthost
