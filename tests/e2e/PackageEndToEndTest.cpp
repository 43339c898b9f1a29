// The Debian packages of this build, made with `cpack -G DEB` into a temporary directory
// and never installed on the machine: lintian must report no error; their metadata and file
// lists must be what Debian operators expect; and the tthost unpacked from them (dpkg-deb -x
// into a temporary root) must serve with the configuration unpacked beside it, listening on
// ephemeral loopback ports instead of the shipped ones.
#include "HostProcess.h"
#include "ServingChecks.h"
#include "ShippedConfig.h"

#include <cppunit/extensions/HelperMacros.h>

#include <chrono>
#include <csignal>
#include <sstream>
#include <string>
#include <vector>

using tttest::HostProcess;
using tttest::TempDir;
using namespace std::chrono_literals;

namespace
{

const std::string kVersion = TTROUTE_VERSION "-1";
const std::string kMultiarch = TTROUTE_MULTIARCH_LIBDIR; // e.g. "lib/x86_64-linux-gnu"

/// The three packages, made once for the suite.
class Packages
{
public:
    static Packages& get()
    {
        static Packages packages;
        return packages;
    }

    /// The path of package `name` (ttroute, libtthost0, ttroute-dev).
    std::string deb(const std::string& name) const
    {
        return dir_.path() + "/" + name + "_" + kVersion + "_" + architecture_ + ".deb";
    }

    /// A directory into which all three are unpacked.
    const std::string& root() const { return root_.path(); }

    /// What `command` with `args` prints, which must exit 0.
    static std::string output(const std::string& command, const std::vector<std::string>& args)
    {
        std::string out;
        TempDir scratch;
        const int status = tttest::runToCompletion(command, args, scratch.path(), out, 240s);
        std::string line = command;
        for (const auto& arg : args)
            line += " " + arg;
        CPPUNIT_ASSERT_EQUAL_MESSAGE(line + ":\n" + out, 0, status);
        return out;
    }

private:
    Packages()
        : architecture_(trimmed(output("/usr/bin/dpkg", {"--print-architecture"})))
    {
        output(CPACK_COMMAND, {"-G", "DEB", "--config", std::string(TTROUTE_BINARY_DIR) + "/CPackConfig.cmake", "-B", dir_.path()});
        for (const char* name : {"ttroute", "libtthost0", "ttroute-dev"})
            output("/usr/bin/dpkg-deb", {"-x", deb(name), root_.path()});
    }

    static std::string trimmed(std::string text)
    {
        while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
            text.pop_back();
        return text;
    }

    TempDir dir_;
    TempDir root_;
    std::string architecture_;
};

/// The field `name` of package `deb`'s control file.
std::string field(const std::string& deb, const std::string& name)
{
    std::string value = Packages::output("/usr/bin/dpkg-deb", {"-f", deb, name});
    while (!value.empty() && value.back() == '\n')
        value.pop_back();
    return value;
}

/// The paths package `deb` installs, one a line, as dpkg-deb -c names them ("./usr/bin/tthost").
std::string files(const std::string& deb)
{
    std::istringstream listing(Packages::output("/usr/bin/dpkg-deb", {"-c", deb}));
    std::string paths;
    for (std::string line; std::getline(listing, line);)
    {
        const std::string path = line.substr(line.find("./"));
        paths += path.substr(0, path.find(" -> ")) + "\n"; // a symbolic link's name, without its target
    }
    return paths;
}

/// The control member `member` (conffiles, postinst, ...) of package `deb`.
std::string controlMember(const std::string& deb, const std::string& member)
{
    return Packages::output("/usr/bin/dpkg-deb", {"-I", deb, member});
}

void assertContains(const std::string& text, const std::string& part, const std::string& what)
{
    CPPUNIT_ASSERT_MESSAGE(what + " lacks '" + part + "':\n" + text, text.find(part) != std::string::npos);
}

} // namespace

class PackageEndToEndTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(PackageEndToEndTest);
    CPPUNIT_TEST(lintianReportsNoError);
    CPPUNIT_TEST(runtimePackageInstallsTheServiceAsDebianDoes);
    CPPUNIT_TEST(libraryAndSdkPackagesHoldTheirParts);
    CPPUNIT_TEST(unpackedTthostServesWithTheUnpackedConfiguration);
    CPPUNIT_TEST_SUITE_END();

public:
    void lintianReportsNoError()
    {
        const Packages& packages = Packages::get();
        std::string out;
        TempDir scratch;
        // lintian fails (exit status 1) on errors, and lists every tag it found.
        const int status = tttest::runToCompletion("/usr/bin/lintian",
                                                   {"--tag-display-limit", "0", packages.deb("ttroute"), packages.deb("libtthost0"), packages.deb("ttroute-dev")},
                                                   scratch.path(), out, 240s);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("lintian:\n" + out, 0, status);
        std::istringstream lines(out);
        for (std::string line; std::getline(lines, line);)
            CPPUNIT_ASSERT_MESSAGE("lintian:\n" + out, line.rfind("E: ", 0) != 0);
    }

    void runtimePackageInstallsTheServiceAsDebianDoes()
    {
        const std::string deb = Packages::get().deb("ttroute");
        CPPUNIT_ASSERT_EQUAL(std::string("ttroute"), field(deb, "Package"));
        CPPUNIT_ASSERT_EQUAL(kVersion, field(deb, "Version"));
        const std::string depends = field(deb, "Depends");
        for (const char* runtime : {"libtthost0 (= " TTROUTE_VERSION "-1)", "libpocofoundation", "libpoconet", "libpocoutil", "libprotobuf-lite",
                                    "adduser", "init-system-helpers"})
            assertContains(depends, runtime, "Depends of ttroute");

        const std::string paths = files(deb);
        const std::vector<std::string> expected{"./usr/bin/tthost", "./usr/bin/ttbench", "./usr/bin/ttctl", "./usr/" + kMultiarch + "/ttroute/libttroute.so",
                                                "./etc/ttroute/tthost.properties", "./lib/systemd/system/tthost.service",
                                                "./usr/share/doc/ttroute/copyright", "./usr/share/doc/ttroute/changelog.Debian.gz"};
        for (const std::string& path : expected)
            assertContains(paths, path + "\n", "ttroute's files");

        // The configuration survives upgrades with the operator's edits.
        assertContains(controlMember(deb, "conffiles"), "/etc/ttroute/tthost.properties", "conffiles");
        // The service runs as its own system user, created at installation, is enabled and
        // started, and reloads on SIGHUP.
        const std::string postinst = controlMember(deb, "postinst");
        assertContains(postinst, "adduser --system --group", "postinst");
        assertContains(postinst, "deb-systemd-helper enable tthost.service", "postinst");
        assertContains(postinst, "deb-systemd-invoke start tthost.service", "postinst");
        const std::string unit = tttest::readFile(Packages::get().root() + "/lib/systemd/system/tthost.service");
        assertContains(unit, "ExecStart=/usr/bin/tthost --config-file=/etc/ttroute/tthost.properties\n", "tthost.service");
        assertContains(unit, "User=ttroute\n", "tthost.service");
        assertContains(unit, "ExecReload=/bin/kill -HUP $MAINPID\n", "tthost.service");
        assertContains(unit, "WantedBy=multi-user.target\n", "tthost.service");
    }

    void libraryAndSdkPackagesHoldTheirParts()
    {
        const Packages& packages = Packages::get();
        const std::string library = packages.deb("libtthost0");
        assertContains(files(library), "./usr/" + kMultiarch + "/libtthost.so.0\n", "libtthost0's files");
        assertContains(field(library, "Depends"), "libpoconet", "Depends of libtthost0");
        assertContains(controlMember(library, "shlibs"), "libtthost 0 libtthost0", "shlibs");
        assertContains(controlMember(library, "triggers"), "activate-noawait ldconfig", "triggers");

        const std::string sdk = packages.deb("ttroute-dev");
        const std::string paths = files(sdk);
        const std::vector<std::string> expected{"./usr/include/tthost/PluginSubsystem.h", "./usr/include/tthost/ServerPlugin.h",
                                                "./usr/" + kMultiarch + "/libtthost.so", "./usr/" + kMultiarch + "/cmake/ttroute/ttrouteConfig.cmake",
                                                "./usr/" + kMultiarch + "/pkgconfig/tthost.pc"};
        for (const std::string& path : expected)
            assertContains(paths, path + "\n", "ttroute-dev's files");
        assertContains(field(sdk, "Depends"), "libtthost0 (= " TTROUTE_VERSION "-1)", "Depends of ttroute-dev");
    }

    void unpackedTthostServesWithTheUnpackedConfiguration()
    {
        const Packages& packages = Packages::get();
        TempDir dir;
        const std::string config =
            dir.write("tthost.properties", tttest::withEphemeralListen(tttest::readFile(packages.root() + "/etc/ttroute/tthost.properties")));
        HostProcess host(packages.root() + "/usr/bin/tthost", {"--config-file=" + config}, dir.path(), dir.path() + "/tthost.log");
        const std::uint16_t port = host.waitForListenPort();
        // The plugin it loaded is the unpacked one, found by its bare name.
        assertContains(host.output(), "(" + packages.root() + "/usr/" + kMultiarch + "/ttroute/libttroute.so) listening on", "the log");

        tttest::assertRoutesBetweenTwoMsgServers(port, 8001, "unpacked tthost");
        host.signal(SIGTERM);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(host.output(), 0, host.wait());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PackageEndToEndTest);
