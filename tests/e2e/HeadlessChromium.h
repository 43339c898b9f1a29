#pragma once

// Loading a page in headless Chromium (Debian's chromium package, installed by
// scripts/deps.sh) for the e2e_status_page suite, and taking the DOM it rendered.

#include <string>

/// Fails the test, in one line, when Chromium is not installed: the suite needs it.
void requireChromium();

/// What Chromium rendered of a page.
struct RenderedPage
{
    std::string dom;    ///< the DOM as --dump-dom wrote it
    std::string errors; ///< what Chromium wrote to stderr
    double seconds = 0; ///< the wall time of the whole run
};

/// Loads `url` in headless Chromium with a fresh profile, lets the page run for `virtualMs` of
/// virtual time (which stands still while requests are pending, so a slow machine changes
/// nothing) and returns the DOM as it then is. Chromium runs in a process group of its own,
/// killed whole when it exits.
RenderedPage renderPage(const std::string& url, int virtualMs = 3000);
