#include "HeadlessChromium.h"

#include "HostProcess.h"

#include <cppunit/extensions/HelperMacros.h>

#include <chrono>
#include <unistd.h>
#include <vector>

namespace
{

/// Debian's chromium package.
const std::string kChromium = "/usr/bin/chromium";

} // namespace

void requireChromium()
{
    if (::access(kChromium.c_str(), X_OK) != 0)
        CPPUNIT_FAIL(kChromium + " is missing: run scripts/deps.sh (it installs Debian's chromium package)");
}

RenderedPage renderPage(const std::string& url, int virtualMs)
{
    requireChromium();
    const tttest::TempDir profile;
    const std::vector<std::string> args{"--headless",
                                        "--no-sandbox", // as root, Chromium's sandbox will not start
                                        "--disable-gpu",
                                        "--disable-dev-shm-usage",
                                        "--no-first-run",
                                        "--no-default-browser-check",
                                        "--disable-background-networking",
                                        "--disable-component-update",
                                        "--disable-sync",
                                        "--disable-default-apps",
                                        "--disable-extensions",
                                        "--disable-crash-reporter",
                                        "--mute-audio",
                                        "--window-size=1280,900",
                                        "--user-data-dir=" + profile.path(),
                                        "--virtual-time-budget=" + std::to_string(virtualMs),
                                        "--dump-dom",
                                        url};
    RenderedPage page;
    const auto started = std::chrono::steady_clock::now();
    const int status = tttest::runGroupToCompletion(kChromium, args, profile.path(), page.dom, page.errors, std::chrono::seconds(120));
    page.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    CPPUNIT_ASSERT_MESSAGE("chromium exited with " + std::to_string(status) + " on " + url + "; its errors:\n" + page.errors,
                           status == 0 && page.dom.find("</html>") != std::string::npos);
    return page;
}
