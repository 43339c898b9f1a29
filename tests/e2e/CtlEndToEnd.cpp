#include "CtlEndToEnd.h"

#include "AdminJson.h"

#include <cppunit/extensions/HelperMacros.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

const std::string kToken = "s3cret-T0ken";

tttest::HostProperties config()
{
    return tttest::HostProperties("CtlEndToEndTest").withAdmin().set("host.drain_timeout", "2s").quietConnections();
}

std::string idOf(std::uint16_t admin, tttest::FakeMsgServer& fake)
{
    return tttest::peerOf(admin, fake)->get("id").toString();
}

void rewriteBehindTheWatcher(const std::string& path, const std::string& from, const std::string& to)
{
    CPPUNIT_ASSERT_EQUAL(from.size(), to.size());
    std::string content = tttest::readFile(path);
    const std::size_t at = content.find(from);
    CPPUNIT_ASSERT_MESSAGE("'" + from + "' not in " + path + ":\n" + content, at != std::string::npos);
    content.replace(at, from.size(), to);
    struct stat before
    {
    };
    CPPUNIT_ASSERT_EQUAL(0, ::stat(path.c_str(), &before));
    const int fd = ::open(path.c_str(), O_WRONLY);
    CPPUNIT_ASSERT(fd >= 0);
    const ssize_t written = ::pwrite(fd, content.data(), content.size(), 0);
    ::close(fd);
    CPPUNIT_ASSERT_EQUAL(static_cast<ssize_t>(content.size()), written);
    const struct timespec times[2] = {before.st_atim, before.st_mtim};
    CPPUNIT_ASSERT_EQUAL(0, ::utimensat(AT_FDCWD, path.c_str(), times, 0));
}

std::pair<CtlRun, std::string> reloadChange(tttest::RunningHost& host, const std::vector<std::string>& args, const std::string& key,
                                            std::string value, const std::vector<std::string>& next)
{
    for (const std::string& candidate : next)
    {
        const std::size_t mark = host.mark();
        rewriteBehindTheWatcher(host.configPath(), key + " = " + value + "\n", key + " = " + candidate + "\n");
        const CtlRun run = runCtl(args);
        assertSuccess(run);
        const std::string change = key + ": " + value + " -> " + candidate;
        if (run.out.find(change) != std::string::npos)
            return {run, candidate};
        // The watcher was first: it logged the change, and the reload found nothing new.
        CPPUNIT_ASSERT_MESSAGE(run.describe(), run.out.find("no value changed") != std::string::npos);
        host.waitForLine(mark, {"configuration reloaded after ", change});
        value = candidate;
    }
    CPPUNIT_FAIL("the watcher saw every change first");
    return {};
}
