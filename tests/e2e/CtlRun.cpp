#include "CtlRun.h"

#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>

namespace
{

/// The arguments that run ttctl with `args` and with `environment` ("NAME=value") and
/// $TTCTL_TOKEN unset otherwise, through env(1).
std::vector<std::string> envArguments(const std::vector<std::string>& args, const std::vector<std::string>& environment)
{
    std::vector<std::string> all{"-u", "TTCTL_TOKEN"};
    all.insert(all.end(), environment.begin(), environment.end());
    all.push_back(TTCTL_PATH);
    all.insert(all.end(), args.begin(), args.end());
    return all;
}

std::string joined(const std::vector<std::string>& args)
{
    std::string line = "ttctl";
    for (const auto& arg : args)
        line += " " + arg;
    return line;
}

} // namespace

std::string CtlRun::describe() const
{
    return "`" + command + "` exited " + std::to_string(status) + "\nstdout:\n" + out + "stderr:\n" + err;
}

CtlRun runCtl(const std::vector<std::string>& args, const std::vector<std::string>& environment)
{
    tttest::TempDir scratch;
    CtlRun run;
    run.command = joined(args);
    {
        tttest::HostProcess process("/usr/bin/env", envArguments(args, environment), scratch.path(), scratch.path() + "/out",
                                    scratch.path() + "/err");
        run.status = process.wait(std::chrono::seconds(60));
    }
    run.out = tttest::readFile(scratch.path() + "/out");
    run.err = tttest::readFile(scratch.path() + "/err");
    CPPUNIT_ASSERT_MESSAGE("did not end within 60 s: " + run.describe(), run.status != -1);
    return run;
}

std::vector<std::string> at(std::uint16_t port, std::vector<std::string> args)
{
    std::vector<std::string> all{"--admin", "127.0.0.1:" + std::to_string(port), "--config", "/dev/null"};
    all.insert(all.end(), args.begin(), args.end());
    return all;
}

void assertSuccess(const CtlRun& run)
{
    CPPUNIT_ASSERT_EQUAL_MESSAGE(run.describe(), 0, run.status);
    CPPUNIT_ASSERT_MESSAGE(run.describe(), run.err.empty());
    CPPUNIT_ASSERT_MESSAGE(run.describe(), !run.out.empty());
}

void assertFailure(const CtlRun& run, int status, const std::vector<std::string>& parts)
{
    CPPUNIT_ASSERT_EQUAL_MESSAGE(run.describe(), status, run.status);
    CPPUNIT_ASSERT_MESSAGE("stdout should be empty: " + run.describe(), run.out.empty());
    CPPUNIT_ASSERT_MESSAGE("one line on stderr: " + run.describe(),
                           !run.err.empty() && run.err.back() == '\n' && std::count(run.err.begin(), run.err.end(), '\n') == 1);
    CPPUNIT_ASSERT_MESSAGE(run.describe(), run.err.rfind("ttctl: ", 0) == 0);
    for (const std::string& part : parts)
        CPPUNIT_ASSERT_MESSAGE("stderr lacks '" + part + "': " + run.describe(), run.err.find(part) != std::string::npos);
}

BackgroundCtl::BackgroundCtl(const std::vector<std::string>& args)
    : command_(joined(args))
    , process_("/usr/bin/env", envArguments(args, {}), scratch_.path(), scratch_.path() + "/out", scratch_.path() + "/err")
{
}

std::string BackgroundCtl::out() const
{
    return tttest::readFile(scratch_.path() + "/out");
}

CtlRun BackgroundCtl::finish(std::chrono::milliseconds timeout)
{
    CtlRun run;
    run.command = command_;
    run.status = process_.wait(timeout);
    run.out = out();
    run.err = tttest::readFile(scratch_.path() + "/err");
    CPPUNIT_ASSERT_MESSAGE("did not end in time: " + run.describe(), run.status != -1);
    return run;
}
