#include "PageChecks.h"

#include <cppunit/extensions/HelperMacros.h>

void Checks::expect(bool holds, const std::string& what)
{
    if (!holds)
        failures_.push_back(what);
}

void Checks::expectEqual(const std::string& expected, const std::string& actual, const std::string& what)
{
    expect(expected == actual, what + ": expected '" + expected + "', the page shows '" + actual + "'");
}

void Checks::assertAll(const std::string& dom) const
{
    if (failures_.empty())
        return;
    std::string message = std::to_string(failures_.size()) + " check(s) of the rendered page failed:\n";
    for (const auto& failure : failures_)
        message += "- " + failure + "\n";
    CPPUNIT_FAIL(message + "the DOM:\n" + dom);
}
