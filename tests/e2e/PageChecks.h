#pragma once

// The checks of one rendered page (e2e_status_page), gathered so that a run reports every one
// that failed at once, with the DOM to look at: a page shows many figures, and one failure at a
// time would hide the others.

#include <string>
#include <vector>

/// Failed checks, gathered so one run reports all of them.
class Checks
{
public:
    /// Notes `what` as failed unless `holds`.
    void expect(bool holds, const std::string& what);

    /// Notes `what` as failed, with both values, unless the page shows `expected`.
    void expectEqual(const std::string& expected, const std::string& actual, const std::string& what);

    /// Fails the test listing every failed check, with the DOM to look at.
    void assertAll(const std::string& dom) const;

private:
    std::vector<std::string> failures_; ///< what failed, in order
};
