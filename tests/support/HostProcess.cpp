#include "HostProcess.h"

#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/StreamCopier.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <regex>
#include <spawn.h>
#include <stdexcept>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace tttest
{
namespace
{

using Clock = std::chrono::steady_clock;

} // namespace

std::string readFile(const std::string& path)
{
    try
    {
        if (!Poco::File(path).exists())
            return {};
        Poco::FileInputStream in(path);
        std::string content;
        Poco::StreamCopier::copyToString(in, content);
        return content;
    }
    catch (const Poco::Exception&)
    {
        return {}; // removed between the check and the read
    }
}

TempDir::TempDir()
{
    std::string pattern = (std::getenv("TMPDIR") ? std::string(std::getenv("TMPDIR")) : std::string("/tmp")) + "/ttroute-test-XXXXXX";
    if (!::mkdtemp(pattern.data()))
        throw std::runtime_error(std::string("mkdtemp failed: ") + std::strerror(errno));
    path_ = pattern;
}

TempDir::~TempDir()
{
    try
    {
        Poco::File(path_).remove(true);
    }
    catch (...)
    {
    }
}

std::string TempDir::write(const std::string& name, const std::string& content) const
{
    const std::string file = path_ + "/" + name;
    // Write a sibling and rename it over the target, so a reader never sees half a file.
    const std::string temporary = file + ".tmp";
    {
        Poco::FileOutputStream out(temporary);
        out << content;
    }
    Poco::File(temporary).renameTo(file);
    return file;
}

HostProcess::HostProcess(const std::string& executable, const std::vector<std::string>& args, const std::string& workDir,
                         const std::string& logFile, const std::string& errorFile, bool ownProcessGroup)
    : logFile_(logFile)
    , ownProcessGroup_(ownProcessGroup)
{
    std::vector<std::string> argvStrings{executable};
    argvStrings.insert(argvStrings.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& arg : argvStrings)
        argv.push_back(arg.data());
    argv.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, logFile.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (errorFile.empty())
        posix_spawn_file_actions_adddup2(&actions, 1, 2);
    else
        posix_spawn_file_actions_addopen(&actions, 2, errorFile.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_addchdir_np(&actions, workDir.c_str());
    // The child starts with no signal blocked, whatever this test process blocks.
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&attributes, &none);
    short flags = POSIX_SPAWN_SETSIGMASK;
    if (ownProcessGroup)
    {
        posix_spawnattr_setpgroup(&attributes, 0); // a group whose id is the child's pid
        flags |= POSIX_SPAWN_SETPGROUP;
    }
    posix_spawnattr_setflags(&attributes, flags);
    const int error = posix_spawn(&pid_, executable.c_str(), &actions, &attributes, argv.data(), environ);
    posix_spawnattr_destroy(&attributes);
    posix_spawn_file_actions_destroy(&actions);
    if (error != 0)
    {
        pid_ = -1;
        throw std::runtime_error("cannot start " + executable + ": " + std::strerror(error));
    }
}

HostProcess::~HostProcess()
{
    if (pid_ > 0)
    {
        ::kill(pid_, SIGKILL);
        killGroup();
        ::waitpid(pid_, nullptr, 0);
    }
}

void HostProcess::killGroup() const
{
    if (ownProcessGroup_ && pid_ > 0)
        ::kill(-pid_, SIGKILL);
}

std::string HostProcess::output() const
{
    return readFile(logFile_);
}

bool HostProcess::waitForOutput(const std::string& text, std::chrono::milliseconds timeout) const
{
    const auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline)
    {
        if (output().find(text) != std::string::npos)
            return true;
        if (pid_ <= 0 || ::waitpid(pid_, nullptr, WNOHANG) != 0)
            return output().find(text) != std::string::npos;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
}

std::uint16_t HostProcess::waitForListenPort(std::size_t nth, std::chrono::milliseconds timeout) const
{
    static const std::regex listening("listening on 127\\.0\\.0\\.1:([0-9]+)");
    const auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline)
    {
        const std::string text = output();
        std::size_t index = 0;
        for (auto it = std::sregex_iterator(text.begin(), text.end(), listening); it != std::sregex_iterator(); ++it, ++index)
            if (index == nth)
                return static_cast<std::uint16_t>(std::stoi((*it)[1]));
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    throw std::runtime_error("tthost did not report listening; its output:\n" + output());
}

void HostProcess::signal(int signal) const
{
    if (pid_ > 0)
        ::kill(pid_, signal);
}

int HostProcess::wait(std::chrono::milliseconds timeout)
{
    const auto deadline = Clock::now() + timeout;
    while (pid_ > 0)
    {
        if (ownProcessGroup_)
        {
            // Seen exited but left unreaped, so the group's id stays its own while the rest
            // of the group is killed.
            siginfo_t info{};
            if (::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid_)
                killGroup();
        }
        int status = 0;
        const pid_t done = ::waitpid(pid_, &status, WNOHANG);
        if (done == pid_)
        {
            pid_ = -1;
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        }
        if (Clock::now() >= deadline)
            return -1;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return -1;
}

int runToCompletion(const std::string& executable, const std::vector<std::string>& args, const std::string& workDir,
                    std::string& output, std::chrono::milliseconds timeout)
{
    TempDir scratch;
    const std::string log = scratch.path() + "/output.log";
    HostProcess process(executable, args, workDir, log);
    const int status = process.wait(timeout);
    output = process.output();
    return status;
}

int runGroupToCompletion(const std::string& executable, const std::vector<std::string>& args, const std::string& workDir,
                         std::string& output, std::string& errors, std::chrono::milliseconds timeout)
{
    TempDir scratch;
    const std::string log = scratch.path() + "/output.log";
    const std::string errorLog = scratch.path() + "/errors.log";
    int status = -1;
    {
        HostProcess process(executable, args, workDir, log, errorLog, true);
        status = process.wait(timeout);
    } // a timed-out process and its group are killed here
    output = readFile(log);
    errors = readFile(errorLog);
    return status;
}

} // namespace tttest
