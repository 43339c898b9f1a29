// GET /metrics scraped, settled and compared (ScrapedMetrics.h).
#include "ScrapedMetrics.h"

#include "AdminHttp.h"
#include "PollUntil.h"

#include <cppunit/extensions/HelperMacros.h>

#include <chrono>
#include <thread>

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace
{

/// True when both pages hold the same samples with the same values (uptime aside).
bool sameValues(const Exposition& a, const Exposition& b)
{
    if (a.families.size() != b.families.size())
        return false;
    for (const auto& [name, family] : a.families)
    {
        if (name == "tthost_uptime_seconds")
            continue;
        const auto other = b.families.find(name);
        if (other == b.families.end() || other->second.samples.size() != family.samples.size())
            return false;
        for (std::size_t i = 0; i < family.samples.size(); ++i)
            if (family.samples[i].labels != other->second.samples[i].labels || family.samples[i].value != other->second.samples[i].value)
                return false;
    }
    return true;
}

} // namespace

Exposition scrape(std::uint16_t admin)
{
    const tttest::HttpReply reply = tttest::http(admin, "/metrics");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(tttest::describe("/metrics", reply), 200, reply.status);
    CPPUNIT_ASSERT_MESSAGE("Content-Type: " + reply.contentType,
                           reply.contentType.rfind("text/plain;", 0) == 0 && reply.contentType.find("version=0.0.4") != std::string::npos);
    Exposition page = parseExposition(reply.body);
    CPPUNIT_ASSERT_MESSAGE("format problems:\n" + joinLines(page.problems) + "the page:\n" + reply.body, page.problems.empty());
    return page;
}

Exposition settledMetrics(std::uint16_t admin)
{
    const auto deadline = Clock::now() + 10s;
    Exposition last = scrape(admin);
    for (;;)
    {
        std::this_thread::sleep_for(50ms);
        Exposition next = scrape(admin);
        if (sameValues(last, next))
            return next;
        if (Clock::now() >= deadline)
            CPPUNIT_FAIL("/metrics keeps changing; the last page:\n" + next.text);
        last = std::move(next);
    }
}

Exposition metricsWhen(std::uint16_t admin, const std::function<bool(const Exposition&)>& reached, const std::string& what)
{
    std::string last; // the last page scraped, for the failure message
    tttest::pollUntil([&] { return "/metrics showing " + what + "; the last page:\n" + last; },
                      [&] {
                          const Exposition page = scrape(admin);
                          last = page.text;
                          return reached(page);
                      },
                      10s);
    return settledMetrics(admin);
}

Exposition metricsAfterDelta(std::uint16_t admin, const Exposition& before, const std::string& name, const Labels& labels, double by)
{
    const double target = before.value(name, labels) + by;
    return metricsWhen(
        admin, [&](const Exposition& page) { return page.value(name, labels) >= target; },
        sampleName(name, labels) + " >= " + std::to_string(target));
}

void assertDelta(const Exposition& before, const Exposition& after, const std::string& name, const Labels& labels, double expected)
{
    CPPUNIT_ASSERT_EQUAL_MESSAGE("change of " + sampleName(name, labels), expected, after.value(name, labels) - before.value(name, labels));
}

void assertValue(const Exposition& page, const std::string& name, const Labels& labels, double expected)
{
    CPPUNIT_ASSERT_EQUAL_MESSAGE(sampleName(name, labels), expected, page.value(name, labels));
}
