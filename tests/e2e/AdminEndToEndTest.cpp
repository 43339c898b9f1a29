// The admin HTTP endpoint of the real tthost binary, fetched over loopback with
// Poco::Net::HTTPClientSession while fake msg servers drive traffic: GET /metrics (checked
// line by line against the Prometheus text format 0.0.4, and for the values the traffic
// determines, as before/after deltas where syncs would otherwise blur them), /healthz,
// /readyz (503 while SIGTERM drains), /peers, /presence, 404 and 405, the endpoint moved and
// closed by a reload, and no endpoint at all when host.admin.listen is empty. Loopback only
// (127.0.0.1, and 127.0.0.2 as a client source address), ephemeral ports only; every child
// process is killed if a test fails midway.
#include "AdminHttp.h"
#include "DiagnosticText.h"
#include "FakeMsgServer.h"
#include "LogLines.h"
#include "LoopbackSockets.h"
#include "MsgServerChecks.h"
#include "ProtocolConstants.h"
#include "RunningHost.h"
#include "WireFrames.h"

#include "IM.Buddy.pb.h"

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeParser.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>

using tttest::describe;
using tttest::FakeMsgServer;
using tttest::http;
using tttest::HttpReply;
using tttest::jsonObject;
using tttest::peersByAddress;
using tttest::query;
using tttest::RunningHost;
using tttest::WireFrame;
using namespace tttest::protocol;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace
{

/// The configuration every test starts from: the route plugin and the admin endpoint on
/// ephemeral loopback ports (`admin` empty: no endpoint), no heartbeats to blur the counts.
std::string config(const std::string& admin, const std::string& drain = "2s", const std::string& extra = "")
{
    return "# written by AdminEndToEndTest\n"
           "host.route.listen = 127.0.0.1:0\n"
           "host.admin.listen = " + admin + "\n"
           "host.drain_timeout = " + drain + "\n"
           "route.heartbeat_interval = 1h\n"
           "route.idle_timeout = 1h\n" + extra;
}

const std::string kEphemeralAdmin = "127.0.0.1:0";

// ---------------------------------------------------------------------------------------
// HTTP and JSON
// ---------------------------------------------------------------------------------------

/// A JSON error answer: `status`, a JSON content type, and an "error" string.
void assertJsonError(const std::string& path, const HttpReply& reply, int status)
{
    CPPUNIT_ASSERT_EQUAL_MESSAGE(describe(path, reply), status, reply.status);
    CPPUNIT_ASSERT_MESSAGE(describe(path, reply), reply.contentType.rfind("application/json", 0) == 0);
    const auto object = jsonObject(reply.body);
    CPPUNIT_ASSERT_MESSAGE(describe(path, reply), object->has("error") && object->get("error").isString() &&
                                                      !object->getValue<std::string>("error").empty());
}

std::uint64_t numberField(const Poco::JSON::Object::Ptr& object, const std::string& key)
{
    CPPUNIT_ASSERT_MESSAGE("not a JSON object where '" + key + "' was wanted", object);
    CPPUNIT_ASSERT_MESSAGE("missing '" + key + "'", object->has(key));
    const Poco::Dynamic::Var value = object->get(key);
    CPPUNIT_ASSERT_MESSAGE("'" + key + "' is not a number: " + value.toString(), value.isNumeric() && !value.isString());
    return value.convert<Poco::UInt64>();
}

std::string stringField(const Poco::JSON::Object::Ptr& object, const std::string& key)
{
    CPPUNIT_ASSERT_MESSAGE("not a JSON object where '" + key + "' was wanted", object);
    CPPUNIT_ASSERT_MESSAGE("missing '" + key + "'", object->has(key));
    CPPUNIT_ASSERT_MESSAGE("'" + key + "' is not a string", object->get(key).isString());
    return object->getValue<std::string>(key);
}

// ---------------------------------------------------------------------------------------
// The Prometheus text exposition format, version 0.0.4, checked strictly
// ---------------------------------------------------------------------------------------

using Labels = std::map<std::string, std::string>;

struct Sample
{
    Labels labels;
    double value = 0;
};

struct Family
{
    std::string type;
    int helps = 0;
    int types = 0;
    std::vector<Sample> samples;
};

std::string describe(const std::string& name, const Labels& labels)
{
    std::string text = name;
    if (!labels.empty())
    {
        text += "{";
        for (const auto& [label, value] : labels)
            text += (text.back() == '{' ? "" : ",") + label + "=\"" + value + "\"";
        text += "}";
    }
    return text;
}

/// A /metrics page, parsed; `problems` lists every way it departs from the format.
struct Exposition
{
    std::map<std::string, Family> families;
    std::vector<std::string> problems;
    std::string text;

    /// The value of the one sample `name` with exactly `labels`; fails the test when there is none.
    double value(const std::string& name, const Labels& labels = {}) const
    {
        const auto family = families.find(name);
        if (family != families.end())
            for (const Sample& sample : family->second.samples)
                if (sample.labels == labels)
                    return sample.value;
        CPPUNIT_FAIL("no sample " + describe(name, labels) + " on the page:\n" + text);
        return 0;
    }

    /// The label values `label` takes in the samples of `name`.
    std::set<std::string> labelValues(const std::string& name, const std::string& label) const
    {
        std::set<std::string> values;
        const auto family = families.find(name);
        if (family != families.end())
            for (const Sample& sample : family->second.samples)
            {
                const auto found = sample.labels.find(label);
                values.insert(found == sample.labels.end() ? "(none)" : found->second);
            }
        return values;
    }
};

bool validName(const std::string& name)
{
    static const std::regex pattern("[a-zA-Z_:][a-zA-Z0-9_:]*");
    return std::regex_match(name, pattern);
}

bool endsWith(const std::string& text, const std::string& suffix)
{
    return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

/// Parses `{name="value",...}` at `at` (on the '{'); returns false with `why` on a syntax error.
bool parseLabels(const std::string& line, std::size_t& at, Labels& labels, std::string& why)
{
    static const std::regex labelName("[a-zA-Z_][a-zA-Z0-9_]*");
    ++at; // '{'
    if (at < line.size() && line[at] == '}')
    {
        ++at;
        return true;
    }
    for (;;)
    {
        const std::size_t equals = line.find('=', at);
        if (equals == std::string::npos)
            return why = "a label without '='", false;
        const std::string name = line.substr(at, equals - at);
        if (!std::regex_match(name, labelName))
            return why = "invalid label name '" + name + "'", false;
        if (name.rfind("__", 0) == 0)
            return why = "reserved label name '" + name + "'", false;
        at = equals + 1;
        if (at >= line.size() || line[at] != '"')
            return why = "label " + name + ": value not in double quotes", false;
        ++at;
        std::string value;
        for (;;)
        {
            if (at >= line.size())
                return why = "label " + name + ": unterminated value", false;
            const char c = line[at++];
            if (c == '"')
                break;
            if (c == '\\')
            {
                if (at >= line.size())
                    return why = "label " + name + ": a backslash at the end", false;
                const char escaped = line[at++];
                if (escaped == '\\' || escaped == '"')
                    value += escaped;
                else if (escaped == 'n')
                    value += '\n';
                else
                    return why = std::string("label ") + name + ": invalid escape \\" + escaped, false;
            }
            else
                value += c;
        }
        if (!labels.emplace(name, value).second)
            return why = "label " + name + " given twice", false;
        if (at >= line.size())
            return why = "no '}' after the labels", false;
        if (line[at] == '}')
        {
            ++at;
            return true;
        }
        if (line[at] != ',')
            return why = std::string("'") + line[at] + "' after label " + name + " (want ',' or '}')", false;
        ++at;
    }
}

/// Parses a page line by line and records every departure from the format (as this suite
/// reads it: every family has exactly one # HELP and one # TYPE line before its samples, all
/// its lines form one group, TYPE is counter or gauge, a counter's name ends in _total, a
/// sample is name{label="value",...} value with no timestamp, labels unique per family).
Exposition parseExposition(const std::string& page)
{
    static const std::regex numberPattern(R"([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[+-]?Inf|NaN)");
    Exposition result;
    result.text = page;
    auto problem = [&](std::size_t lineNumber, const std::string& line, const std::string& what) {
        result.problems.push_back("line " + std::to_string(lineNumber) + " '" + line + "': " + what);
    };
    if (page.empty() || page.back() != '\n')
        result.problems.push_back("the page does not end with a line feed");

    std::string current;            // the family whose lines come now
    std::set<std::string> finished; // families whose group ended
    auto enter = [&](const std::string& name, std::size_t lineNumber, const std::string& line) {
        if (name == current)
            return;
        if (finished.count(name))
            problem(lineNumber, line, "the lines of " + name + " are not one group");
        if (!current.empty())
            finished.insert(current);
        current = name;
    };

    std::vector<std::string> lines = tttest::completeLines(page, 0);
    if (!page.empty() && page.back() != '\n')
        lines.push_back(page.substr(page.rfind('\n') == std::string::npos ? 0 : page.rfind('\n') + 1));
    for (std::size_t i = 0; i < lines.size(); ++i)
    {
        const std::string& line = lines[i];
        const std::size_t lineNumber = i + 1;
        if (line.empty())
        {
            problem(lineNumber, line, "empty line");
            continue;
        }
        if (line.rfind("# HELP ", 0) == 0)
        {
            const std::string rest = line.substr(7);
            const std::size_t space = rest.find(' ');
            const std::string name = rest.substr(0, space);
            if (!validName(name))
            {
                problem(lineNumber, line, "invalid metric name '" + name + "'");
                continue;
            }
            const std::string help = space == std::string::npos ? std::string() : rest.substr(space + 1);
            for (std::size_t at = help.find('\\'); at != std::string::npos; at = help.find('\\', at + 2))
                if (at + 1 >= help.size() || (help[at + 1] != '\\' && help[at + 1] != 'n'))
                    problem(lineNumber, line, "invalid escape in the help text");
            enter(name, lineNumber, line);
            Family& family = result.families[name];
            if (++family.helps > 1)
                problem(lineNumber, line, "a second # HELP for " + name);
            if (!family.samples.empty())
                problem(lineNumber, line, "# HELP after samples of " + name);
            continue;
        }
        if (line.rfind("# TYPE ", 0) == 0)
        {
            std::istringstream words(line.substr(7));
            std::string name, type, more;
            words >> name >> type >> more;
            if (!validName(name) || type.empty() || !more.empty() || line != "# TYPE " + name + " " + type)
            {
                problem(lineNumber, line, "not '# TYPE name type'");
                continue;
            }
            enter(name, lineNumber, line);
            Family& family = result.families[name];
            if (++family.types > 1)
                problem(lineNumber, line, "a second # TYPE for " + name);
            if (!family.samples.empty())
                problem(lineNumber, line, "# TYPE after samples of " + name);
            if (type != "counter" && type != "gauge")
                problem(lineNumber, line, "type '" + type + "' is neither counter nor gauge");
            if (type == "counter" && !endsWith(name, "_total"))
                problem(lineNumber, line, "counter " + name + " does not end in _total");
            family.type = type;
            continue;
        }
        if (line[0] == '#')
            continue; // a plain comment: the format ignores it

        // A sample: name{labels} value
        std::size_t at = 0;
        while (at < line.size() && line[at] != '{' && line[at] != ' ')
            ++at;
        const std::string name = line.substr(0, at);
        if (!validName(name))
        {
            problem(lineNumber, line, "invalid metric name '" + name + "'");
            continue;
        }
        Labels labels;
        std::string why;
        if (at < line.size() && line[at] == '{' && !parseLabels(line, at, labels, why))
        {
            problem(lineNumber, line, why);
            continue;
        }
        if (at >= line.size() || line[at] != ' ')
        {
            problem(lineNumber, line, "no single space before the value");
            continue;
        }
        const std::string valueText = line.substr(at + 1);
        if (!std::regex_match(valueText, numberPattern))
        {
            problem(lineNumber, line, "'" + valueText + "' is not a number (or has a timestamp or extra spaces)");
            continue;
        }
        const double value = std::strtod(valueText.c_str(), nullptr);
        enter(name, lineNumber, line);
        Family& family = result.families[name];
        if (family.helps == 0 || family.types == 0)
            problem(lineNumber, line, "a sample of " + name + " before its # HELP and # TYPE lines");
        if (std::any_of(family.samples.begin(), family.samples.end(), [&](const Sample& s) { return s.labels == labels; }))
            problem(lineNumber, line, "a second sample with the same labels");
        if (family.type == "counter" && !(value >= 0))
            problem(lineNumber, line, "a counter below zero or NaN");
        family.samples.push_back({labels, value});
    }
    for (const auto& [name, family] : result.families)
        if (family.helps != 1 || family.types != 1)
            result.problems.push_back(name + ": " + std::to_string(family.helps) + " # HELP and " + std::to_string(family.types) +
                                      " # TYPE lines (want one each)");
    return result;
}

std::string join(const std::vector<std::string>& lines)
{
    std::string text;
    for (const auto& line : lines)
        text += line + "\n";
    return text;
}

/// GET /metrics: 200, the 0.0.4 content type, and a page without a format problem.
Exposition scrape(std::uint16_t admin)
{
    const HttpReply reply = http(admin, "/metrics");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(describe("/metrics", reply), 200, reply.status);
    CPPUNIT_ASSERT_MESSAGE("Content-Type: " + reply.contentType,
                           reply.contentType.rfind("text/plain;", 0) == 0 && reply.contentType.find("version=0.0.4") != std::string::npos);
    Exposition page = parseExposition(reply.body);
    CPPUNIT_ASSERT_MESSAGE("format problems:\n" + join(page.problems) + "the page:\n" + reply.body, page.problems.empty());
    return page;
}

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

/// /metrics once two scrapes 50 ms apart agree: the counting that follows an answer (a few
/// instructions after the frame went out) has caught up.
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

/// Scrapes until `reached` holds (at most 10 s), then returns the settled page.
Exposition metricsWhen(std::uint16_t admin, const std::function<bool(const Exposition&)>& reached, const std::string& what)
{
    const auto deadline = Clock::now() + 10s;
    for (;;)
    {
        const Exposition page = scrape(admin);
        if (reached(page))
            return settledMetrics(admin);
        if (Clock::now() >= deadline)
            CPPUNIT_FAIL("within 10 s, /metrics never showed " + what + "; the last page:\n" + page.text);
        std::this_thread::sleep_for(20ms);
    }
}

/// Scrapes until sample `name`{`labels`} has grown by `by` since `before`, then returns the settled page.
Exposition metricsAfterDelta(std::uint16_t admin, const Exposition& before, const std::string& name, const Labels& labels, double by)
{
    const double target = before.value(name, labels) + by;
    return metricsWhen(
        admin, [&](const Exposition& page) { return page.value(name, labels) >= target; },
        describe(name, labels) + " >= " + std::to_string(target));
}

void assertDelta(const Exposition& before, const Exposition& after, const std::string& name, const Labels& labels, double expected)
{
    CPPUNIT_ASSERT_EQUAL_MESSAGE("change of " + describe(name, labels), expected, after.value(name, labels) - before.value(name, labels));
}

void assertValue(const Exposition& page, const std::string& name, const Labels& labels, double expected)
{
    CPPUNIT_ASSERT_EQUAL_MESSAGE(describe(name, labels), expected, page.value(name, labels));
}

// ---------------------------------------------------------------------------------------
// The host
// ---------------------------------------------------------------------------------------

/// The "configuration reloaded ..." line caused by the file poll, listing `change`.
std::vector<std::string> reloadedAfterChange(const std::string& change)
{
    return {"configuration reloaded after ", " changed: ", change};
}

/// The local address of a fake's socket, as the route server sees it from the other end.
std::string addressOf(FakeMsgServer& fake)
{
    return fake.socket().address().toString();
}

/// A user's connections from /presence, canonical: "ID:type=count,type=count ID:..." (sorted).
std::string describeConnections(const Poco::JSON::Object::Ptr& user)
{
    CPPUNIT_ASSERT(user->has("connections") && user->isArray("connections"));
    const auto connections = user->getArray("connections");
    std::map<std::uint64_t, std::set<std::string>> byConnection;
    for (std::size_t i = 0; i < connections->size(); ++i)
    {
        const auto connection = connections->getObject(static_cast<unsigned>(i));
        CPPUNIT_ASSERT(connection);
        const std::uint64_t id = numberField(connection, "connection");
        CPPUNIT_ASSERT_MESSAGE("connection " + std::to_string(id) + " listed twice", byConnection.count(id) == 0);
        auto& entries = byConnection[id];
        CPPUNIT_ASSERT(connection->has("logins") && connection->isArray("logins"));
        const auto logins = connection->getArray("logins");
        for (std::size_t j = 0; j < logins->size(); ++j)
        {
            const auto login = logins->getObject(static_cast<unsigned>(j));
            CPPUNIT_ASSERT(login);
            entries.insert(stringField(login, "client_type") + "=" + std::to_string(numberField(login, "count")));
        }
    }
    std::string text;
    for (const auto& [id, entries] : byConnection)
    {
        text += (text.empty() ? "" : " ") + std::to_string(id) + ":";
        bool first = true;
        for (const auto& entry : entries)
        {
            text += (first ? "" : ",") + entry;
            first = false;
        }
    }
    return text;
}

/// GET /presence?`query`: 200 and the "users" array.
Poco::JSON::Array::Ptr presence(std::uint16_t admin, const std::string& query)
{
    const std::string path = "/presence?" + query;
    const HttpReply reply = http(admin, path);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(describe(path, reply), 200, reply.status);
    CPPUNIT_ASSERT_MESSAGE(describe(path, reply), reply.contentType.rfind("application/json", 0) == 0);
    const auto object = jsonObject(reply.body);
    CPPUNIT_ASSERT_MESSAGE(reply.body, object->has("users") && object->isArray("users"));
    return object->getArray("users");
}

} // namespace

class AdminEndToEndTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(AdminEndToEndTest);
    CPPUNIT_TEST(expositionCheckerRejectsMalformedPages);
    CPPUNIT_TEST(metricsPageIsWellFormedAndComplete);
    CPPUNIT_TEST(gaugesFollowConnectionsAndLogins);
    CPPUNIT_TEST(relayedMsgDataIsCountedExactly);
    CPPUNIT_TEST(statusQueriesAndNotificationsAreCountedExactly);
    CPPUNIT_TEST(framingFaultsAndBadBodiesAreCounted);
    CPPUNIT_TEST(reloadsAndAllowlistAreCounted);
    CPPUNIT_TEST(healthAndReadinessWhileServing);
    CPPUNIT_TEST(readyzAnswers503WhileDraining);
    CPPUNIT_TEST(peersListsEveryConnection);
    CPPUNIT_TEST(presenceReportsLoginsPerConnection);
    CPPUNIT_TEST(presenceRejectsIdsThatAreNotPlainNumbers);
    CPPUNIT_TEST(unknownPathIs404AndNonGetIs405);
    CPPUNIT_TEST(adminListenMovesAndClosesOnReload);
    CPPUNIT_TEST(noAdminEndpointWhenListenIsEmpty);
    CPPUNIT_TEST_SUITE_END();

public:
    /// The format checker this suite relies on accepts a good page and rejects each kind of
    /// malformed one: a checker that passes everything would prove nothing.
    void expositionCheckerRejectsMalformedPages()
    {
        const std::string good = "# HELP a_total Counts \\\\ things.\\nSecond line.\n# TYPE a_total counter\n"
                                 "a_total{x=\"1\",y=\"q\\\"uote\\\\\"} 3\na_total{x=\"2\"} 0\n"
                                 "# some comment\n# HELP g A gauge.\n# TYPE g gauge\ng 1.5\n"
                                 "# HELP h Another.\n# TYPE h gauge\nh{} -2e-3\nh{a=\"\"} +Inf\nh{a=\"b\"} NaN\n";
        const Exposition parsed = parseExposition(good);
        CPPUNIT_ASSERT_MESSAGE(join(parsed.problems), parsed.problems.empty());
        CPPUNIT_ASSERT_EQUAL(3.0, parsed.value("a_total", {{"x", "1"}, {"y", "q\"uote\\"}}));
        CPPUNIT_ASSERT_EQUAL(1.5, parsed.value("g"));

        const std::string g = "# HELP g h\n# TYPE g gauge\n";
        const std::vector<std::pair<std::string, std::string>> bad{
            {"no HELP or TYPE", "g 1\n"},
            {"no TYPE", "# HELP g h\ng 1\n"},
            {"no HELP", "# TYPE g gauge\ng 1\n"},
            {"HELP twice", "# HELP g h\n" + g + "g 1\n"},
            {"TYPE twice", g + "# TYPE g gauge\ng 1\n"},
            {"TYPE after a sample", "# HELP g h\ng 1\n# TYPE g gauge\n"},
            {"HELP after a sample", "# TYPE g gauge\ng 1\n# HELP g h\n"},
            {"counter without _total", "# HELP c h\n# TYPE c counter\nc 1\n"},
            {"type summary", "# HELP s h\n# TYPE s summary\ns 1\n"},
            {"type untyped", "# HELP s h\n# TYPE s untyped\ns 1\n"},
            {"unquoted label value", g + "g{x=1} 1\n"},
            {"trailing comma", g + "g{x=\"1\",} 1\n"},
            {"bad label name", g + "g{1x=\"1\"} 1\n"},
            {"reserved label name", g + "g{__x=\"1\"} 1\n"},
            {"bad escape", g + "g{x=\"a\\qb\"} 1\n"},
            {"unterminated labels", g + "g{x=\"1\" 1\n"},
            {"label twice", g + "g{x=\"1\",x=\"2\"} 1\n"},
            {"not a number", g + "g abc\n"},
            {"a timestamp", g + "g 1 1700000000000\n"},
            {"two spaces", g + "g  1\n"},
            {"no value", g + "g\n"},
            {"bad metric name", "# HELP 1g h\n# TYPE 1g gauge\n1g 1\n"},
            {"a sample of another name", g + "gg 1\n"},
            {"families interleaved", g + "g{x=\"1\"} 1\n# HELP k h\n# TYPE k gauge\nk 1\ng{x=\"2\"} 1\n"},
            {"same labels twice", g + "g{x=\"1\"} 1\ng{x=\"1\"} 2\n"},
            {"negative counter", "# HELP c_total h\n# TYPE c_total counter\nc_total -1\n"},
            {"empty line", g + "g 1\n\n"},
            {"no final line feed", g + "g 1"},
            {"bad help escape", "# HELP g a \\t b\n# TYPE g gauge\ng 1\n"},
        };
        for (const auto& [what, page] : bad)
            CPPUNIT_ASSERT_MESSAGE("accepted: " + what + ":\n" + page, !parseExposition(page).problems.empty());
    }

    /// Issue: /metrics has the 0.0.4 content type, passes the strict format check, and has
    /// every host and ttroute family with its type and its whole label set; uptime > 0,
    /// ready 1, the connected count right.
    void metricsPageIsWellFormedAndComplete()
    {
        RunningHost host(config(kEphemeralAdmin));
        const std::uint16_t port = host.port();
        const std::uint16_t admin = host.adminPort();
        FakeMsgServer a(port);
        FakeMsgServer b(port);
        CPPUNIT_ASSERT(a.sync().empty());
        CPPUNIT_ASSERT(b.sync().empty());
        a.send(tttest::statusUpdate(1, kOnline, kWindows));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), a.sync().size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), b.sync().size());
        tttest::assertRelayed(a, {&b}, 1, "before the scrape");

        const Exposition page = settledMetrics(admin);
        const std::map<std::string, std::string> types{
            {"tthost_uptime_seconds", "gauge"},
            {"tthost_ready", "gauge"},
            {"tthost_config_reloads_total", "counter"},
            {"ttroute_connected_msg_servers", "gauge"},
            {"ttroute_online_users", "gauge"},
            {"ttroute_online_logins", "gauge"},
            {"ttroute_received_pdus_total", "counter"},
            {"ttroute_received_bytes_total", "counter"},
            {"ttroute_sent_pdus_total", "counter"},
            {"ttroute_sent_bytes_total", "counter"},
            {"ttroute_relayed_pdus_total", "counter"},
            {"ttroute_relay_unaddressed_total", "counter"},
            {"ttroute_status_queries_total", "counter"},
            {"ttroute_status_query_ids_total", "counter"},
            {"ttroute_notifications_total", "counter"},
            {"ttroute_bodies_dropped_total", "counter"},
            {"ttroute_frames_ignored_total", "counter"},
            {"ttroute_connections_refused_total", "counter"},
            {"ttroute_frames_rejected_total", "counter"},
            {"ttroute_disconnects_total", "counter"},
            {"ttroute_outbox_queued_bytes", "gauge"},
            {"ttroute_outbox_queued_bytes_high_water", "gauge"},
            {"ttroute_peer_loss_users_total", "counter"},
            {"ttroute_peer_loss_pending_users", "gauge"},
            {"ttroute_peer_loss_remembered_users", "gauge"},
            {"ttroute_peer_loss_healed_users_total", "counter"},
            {"ttroute_status_updates_unannounced_total", "counter"},
        };
        for (const auto& [name, type] : types)
        {
            const auto family = page.families.find(name);
            CPPUNIT_ASSERT_MESSAGE("no family " + name + ":\n" + page.text, family != page.families.end());
            CPPUNIT_ASSERT_EQUAL_MESSAGE(name, type, family->second.type);
            CPPUNIT_ASSERT_MESSAGE("no sample of " + name, !family->second.samples.empty());
        }
        for (const auto& [name, family] : page.families)
            CPPUNIT_ASSERT_MESSAGE("a family this suite does not know: " + name, types.count(name) == 1);

        using Set = std::set<std::string>;
        CPPUNIT_ASSERT(Set({"applied", "unchanged", "rejected"}) == page.labelValues("tthost_config_reloads_total", "result"));
        CPPUNIT_ASSERT(Set({"windows", "mac", "ios", "android"}) == page.labelValues("ttroute_online_logins", "client_type"));
        const Set commands{"heartbeat",
                           "role_set",
                           "online_user_info",
                           "user_status_update",
                           "login_status_notify",
                           "server_kick_user",
                           "buddy_list_status_notify",
                           "users_status_request",
                           "users_status_response",
                           "remove_session_notify",
                           "sign_info_changed_notify",
                           "msg_data",
                           "msg_read_notify",
                           "group_change_member_notify",
                           "file_notify",
                           "switch_p2p_cmd",
                           "other"};
        for (const char* name : {"ttroute_received_pdus_total", "ttroute_received_bytes_total", "ttroute_sent_pdus_total", "ttroute_sent_bytes_total"})
            CPPUNIT_ASSERT_MESSAGE(name, commands == page.labelValues(name, "command"));
        CPPUNIT_ASSERT(Set({"length_below_header", "length_above_max"}) == page.labelValues("ttroute_frames_rejected_total", "reason"));
        CPPUNIT_ASSERT(Set({"eof", "read_error", "write_error", "idle_timeout", "queue_overflow", "bad_frame", "not_allowed", "internal_error",
                            "evicted", "drained", "shutdown"}) == page.labelValues("ttroute_disconnects_total", "reason"));
        CPPUNIT_ASSERT(Set({"held", "announced", "came_back", "forgotten", "not_held"}) ==
                       page.labelValues("ttroute_peer_loss_users_total", "outcome"));

        CPPUNIT_ASSERT_MESSAGE(page.text, page.value("tthost_uptime_seconds") > 0);
        assertValue(page, "tthost_ready", {}, 1);
        for (const char* result : {"applied", "unchanged", "rejected"})
            assertValue(page, "tthost_config_reloads_total", {{"result", result}}, 0);
        assertValue(page, "ttroute_connected_msg_servers", {}, 2);
        assertValue(page, "ttroute_online_users", {}, 1);
        assertValue(page, "ttroute_online_logins", {{"client_type", "windows"}}, 1);
        assertValue(page, "ttroute_relayed_pdus_total", {}, 1);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(host.log(), 0, host.stopWith(SIGTERM));
    }

    /// Issue: ttroute_connected_msg_servers counts the fake servers; ttroute_online_users and
    /// ttroute_online_logins{client_type} match the logins (A on windows and android, B on
    /// mac, C on ios, then A on windows again elsewhere); closing a server is one
    /// disconnect{reason="eof"} and takes its users and logins away.
    void gaugesFollowConnectionsAndLogins()
    {
        // A lost connection's users announced at once, so the counters move with the close.
        RunningHost host(config(kEphemeralAdmin, "2s", "route.peer_loss_grace = 0\n"));
        const std::uint16_t port = host.port();
        const std::uint16_t admin = host.adminPort();
        FakeMsgServer f1(port);
        FakeMsgServer f2(port);
        FakeMsgServer f3(port);
        for (FakeMsgServer* fake : {&f1, &f2, &f3})
            CPPUNIT_ASSERT(fake->sync().empty());
        Exposition page = settledMetrics(admin);
        assertValue(page, "ttroute_connected_msg_servers", {}, 3);
        assertValue(page, "ttroute_online_users", {}, 0);

        const std::uint32_t userA = 1001, userB = 1002, userC = 1003;
        f1.send(tttest::statusUpdate(userA, kOnline, kWindows));
        f1.send(tttest::statusUpdate(userA, kOnline, kAndroid));
        f2.send(tttest::statusUpdate(userB, kOnline, kMac));
        f2.send(tttest::statusUpdate(userC, kOnline, kIos));
        for (FakeMsgServer* fake : {&f1, &f2, &f3})
            fake->sync();
        page = settledMetrics(admin);
        assertValue(page, "ttroute_connected_msg_servers", {}, 3);
        assertValue(page, "ttroute_online_users", {}, 3);
        assertValue(page, "ttroute_online_logins", {{"client_type", "windows"}}, 1);
        assertValue(page, "ttroute_online_logins", {{"client_type", "android"}}, 1);
        assertValue(page, "ttroute_online_logins", {{"client_type", "mac"}}, 1);
        assertValue(page, "ttroute_online_logins", {{"client_type", "ios"}}, 1);

        f3.send(tttest::statusUpdate(userA, kOnline, kWindows));
        // The sender first: its sync proves the notifications are in the others' queues, so
        // theirs read them all (f2 must have nothing unread when it closes: that would be a reset).
        for (FakeMsgServer* fake : {&f3, &f1, &f2})
            fake->sync();
        const Exposition before = settledMetrics(admin);
        assertValue(before, "ttroute_online_users", {}, 3);
        assertValue(before, "ttroute_online_logins", {{"client_type", "windows"}}, 2);

        // f2 goes: B (its only login a PC one) is announced offline, once; C was never online.
        f2.close();
        const Exposition after = metricsAfterDelta(admin, before, "ttroute_disconnects_total", {{"reason", "eof"}}, 1);
        assertDelta(before, after, "ttroute_disconnects_total", {{"reason", "eof"}}, 1);
        for (const char* reason : {"read_error", "write_error", "idle_timeout", "queue_overflow", "bad_frame", "not_allowed", "internal_error", "evicted", "drained", "shutdown"})
            assertDelta(before, after, "ttroute_disconnects_total", {{"reason", reason}}, 0);
        assertValue(after, "ttroute_connected_msg_servers", {}, 2);
        assertValue(after, "ttroute_online_users", {}, 1);
        assertValue(after, "ttroute_online_logins", {{"client_type", "windows"}}, 2);
        assertValue(after, "ttroute_online_logins", {{"client_type", "android"}}, 1);
        assertValue(after, "ttroute_online_logins", {{"client_type", "mac"}}, 0);
        assertValue(after, "ttroute_online_logins", {{"client_type", "ios"}}, 0);
        assertDelta(before, after, "ttroute_notifications_total", {}, 1);
        assertDelta(before, after, "ttroute_sent_pdus_total", {{"command", "buddy_list_status_notify"}}, 2);
        assertDelta(before, after, "ttroute_peer_loss_users_total", {{"outcome", "held"}}, 1);
        assertDelta(before, after, "ttroute_peer_loss_users_total", {{"outcome", "announced"}}, 1);
        assertValue(after, "ttroute_peer_loss_pending_users", {}, 0);
        assertValue(after, "ttroute_peer_loss_remembered_users", {}, 1);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(host.log(), 0, host.stopWith(SIGTERM));
    }

    /// Issue: exactly N relayed MSG_DATA among three msg servers give relayed +N,
    /// received{msg_data} +N and sent{msg_data} +N×2 (bytes likewise); the syncs that prove
    /// delivery are three status queries.
    void relayedMsgDataIsCountedExactly()
    {
        RunningHost host(config(kEphemeralAdmin));
        const std::uint16_t port = host.port();
        const std::uint16_t admin = host.adminPort();
        FakeMsgServer f1(port);
        FakeMsgServer f2(port);
        FakeMsgServer f3(port);
        for (FakeMsgServer* fake : {&f1, &f2, &f3})
            CPPUNIT_ASSERT(fake->sync().empty());
        const Exposition before = settledMetrics(admin);

        constexpr int kFrames = 7;
        constexpr int kPeers = 3;
        std::vector<std::string> sent;
        double bytes = 0;
        for (std::uint32_t i = 0; i < kFrames; ++i)
        {
            sent.push_back(tttest::msgData(2001, 2002, i, "message " + std::to_string(i) + std::string(i * 100, 'x')));
            bytes += static_cast<double>(sent.back().size());
            f1.send(sent.back());
        }
        CPPUNIT_ASSERT(f1.sync().empty());
        for (FakeMsgServer* fake : {&f2, &f3})
        {
            const auto got = fake->sync();
            CPPUNIT_ASSERT_EQUAL_MESSAGE(tttest::describeFrames(got), std::size_t(kFrames), got.size());
            for (std::size_t i = 0; i < got.size(); ++i)
                CPPUNIT_ASSERT_MESSAGE("relayed frame " + std::to_string(i) + " differs", sent[i] == got[i].bytes);
        }

        const Exposition after = metricsAfterDelta(admin, before, "ttroute_status_queries_total", {}, 3);
        assertDelta(before, after, "ttroute_relayed_pdus_total", {}, kFrames);
        assertDelta(before, after, "ttroute_received_pdus_total", {{"command", "msg_data"}}, kFrames);
        assertDelta(before, after, "ttroute_received_bytes_total", {{"command", "msg_data"}}, bytes);
        assertDelta(before, after, "ttroute_sent_pdus_total", {{"command", "msg_data"}}, kFrames * (kPeers - 1));
        assertDelta(before, after, "ttroute_sent_bytes_total", {{"command", "msg_data"}}, bytes * (kPeers - 1));
        // The three syncs.
        assertDelta(before, after, "ttroute_status_queries_total", {}, 3);
        assertDelta(before, after, "ttroute_status_query_ids_total", {}, 0);
        assertDelta(before, after, "ttroute_received_pdus_total", {{"command", "users_status_request"}}, 3);
        assertDelta(before, after, "ttroute_sent_pdus_total", {{"command", "users_status_response"}}, 3);
        // Nothing else moved.
        assertDelta(before, after, "ttroute_notifications_total", {}, 0);
        assertDelta(before, after, "ttroute_bodies_dropped_total", {}, 0);
        assertDelta(before, after, "ttroute_frames_ignored_total", {}, 0);
        assertDelta(before, after, "ttroute_received_pdus_total", {{"command", "other"}}, 0);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(host.log(), 0, host.stopWith(SIGTERM));
    }

    /// Issue: status queries of K ids give exact deltas of ttroute_status_queries_total and
    /// ttroute_status_query_ids_total; a PC login's status update gives
    /// ttroute_notifications_total +2 (one LOGIN_STATUS_NOTIFY, one BUDDY_LIST_STATUS_NOTIFY,
    /// each sent to both msg servers); a mobile-only login none; the PC logout one.
    void statusQueriesAndNotificationsAreCountedExactly()
    {
        RunningHost host(config(kEphemeralAdmin));
        const std::uint16_t port = host.port();
        const std::uint16_t admin = host.adminPort();
        FakeMsgServer f1(port);
        FakeMsgServer f2(port);
        CPPUNIT_ASSERT(f1.sync().empty());
        CPPUNIT_ASSERT(f2.sync().empty());

        // Two queries, 5 ids (duplicates kept) and 3 ids, answered before anything is counted.
        Exposition before = settledMetrics(admin);
        CPPUNIT_ASSERT_EQUAL(std::string("1:2 2:2 3:2 2:2 1:2 "), query(f1, {1, 2, 3, 2, 1}, 0x0101));
        CPPUNIT_ASSERT_EQUAL(std::string("9:2 8:2 7:2 "), query(f1, {9, 8, 7}, 0x0102));
        Exposition after = metricsAfterDelta(admin, before, "ttroute_status_queries_total", {}, 2);
        assertDelta(before, after, "ttroute_status_queries_total", {}, 2);
        assertDelta(before, after, "ttroute_status_query_ids_total", {}, 8);
        assertDelta(before, after, "ttroute_received_pdus_total", {{"command", "users_status_request"}}, 2);
        assertDelta(before, after, "ttroute_sent_pdus_total", {{"command", "users_status_response"}}, 2);
        assertDelta(before, after, "ttroute_notifications_total", {}, 0);

        // A PC login: LOGIN_STATUS_NOTIFY and BUDDY_LIST_STATUS_NOTIFY, to both servers.
        before = after;
        f1.send(tttest::statusUpdate(3001, kOnline, kWindows));
        const auto toSender = f1.sync();
        const auto toOther = f2.sync();
        CPPUNIT_ASSERT_EQUAL_MESSAGE(tttest::describeFrames(toSender), std::size_t(2), toSender.size());
        CPPUNIT_ASSERT_EQUAL_MESSAGE(tttest::describeFrames(toOther), std::size_t(2), toOther.size());
        after = metricsAfterDelta(admin, before, "ttroute_status_queries_total", {}, 2);
        assertDelta(before, after, "ttroute_notifications_total", {}, 2);
        assertDelta(before, after, "ttroute_sent_pdus_total", {{"command", "login_status_notify"}}, 2);
        assertDelta(before, after, "ttroute_sent_pdus_total", {{"command", "buddy_list_status_notify"}}, 2);
        assertDelta(before, after, "ttroute_received_pdus_total", {{"command", "user_status_update"}}, 1);
        assertDelta(before, after, "ttroute_status_queries_total", {}, 2); // the two syncs
        assertDelta(before, after, "ttroute_status_query_ids_total", {}, 0);

        // A mobile-only login notifies nobody (protocol.md §5).
        before = after;
        f1.send(tttest::statusUpdate(3002, kOnline, kAndroid));
        CPPUNIT_ASSERT(f1.sync().empty());
        after = metricsAfterDelta(admin, before, "ttroute_status_queries_total", {}, 1);
        assertDelta(before, after, "ttroute_notifications_total", {}, 0);
        assertDelta(before, after, "ttroute_received_pdus_total", {{"command", "user_status_update"}}, 1);

        // The last PC login logs off and the user is forgotten: BUDDY_LIST_STATUS_NOTIFY only.
        before = after;
        f1.send(tttest::statusUpdate(3001, kOffline, kWindows));
        const auto offline = f1.sync();
        CPPUNIT_ASSERT_EQUAL_MESSAGE(tttest::describeFrames(offline), std::size_t(1), offline.size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), f2.sync().size());
        after = metricsAfterDelta(admin, before, "ttroute_status_queries_total", {}, 2);
        assertDelta(before, after, "ttroute_notifications_total", {}, 1);
        assertDelta(before, after, "ttroute_sent_pdus_total", {{"command", "login_status_notify"}}, 0);
        assertDelta(before, after, "ttroute_sent_pdus_total", {{"command", "buddy_list_status_notify"}}, 2);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(host.log(), 0, host.stopWith(SIGTERM));
    }

    /// Issue: a header with length 8 is one frames_rejected{length_below_header} and one
    /// disconnect{bad_frame}; a length above max_pdu_bytes one {length_above_max}; a body that
    /// does not parse is one bodies_dropped and the connection stays.
    void framingFaultsAndBadBodiesAreCounted()
    {
        RunningHost host(config(kEphemeralAdmin));
        const std::uint16_t port = host.port();
        const std::uint16_t admin = host.adminPort();
        FakeMsgServer f1(port);
        FakeMsgServer f2(port);
        CPPUNIT_ASSERT(f1.sync().empty());
        CPPUNIT_ASSERT(f2.sync().empty());

        Exposition before;
        Exposition after;
        {
            FakeMsgServer bad(port);
            CPPUNIT_ASSERT(bad.sync().empty());
            before = settledMetrics(admin);
            assertValue(before, "ttroute_connected_msg_servers", {}, 3);
            bad.send(tttest::makeRawFrame(7, 0x0701, 0, "", 8));
            CPPUNIT_ASSERT_MESSAGE("a length-8 header did not close the connection", bad.waitClosed());
            after = metricsAfterDelta(admin, before, "ttroute_disconnects_total", {{"reason", "bad_frame"}}, 1);
        }
        assertDelta(before, after, "ttroute_frames_rejected_total", {{"reason", "length_below_header"}}, 1);
        assertDelta(before, after, "ttroute_frames_rejected_total", {{"reason", "length_above_max"}}, 0);
        assertDelta(before, after, "ttroute_disconnects_total", {{"reason", "bad_frame"}}, 1);
        assertDelta(before, after, "ttroute_disconnects_total", {{"reason", "eof"}}, 0);
        assertValue(after, "ttroute_connected_msg_servers", {}, 2);

        {
            FakeMsgServer huge(port);
            CPPUNIT_ASSERT(huge.sync().empty());
            before = settledMetrics(admin);
            huge.send(tttest::makeRawFrame(3, 0x0301, 0, "", 0x7FFFFFFF));
            CPPUNIT_ASSERT_MESSAGE("a 2 GiB header did not close the connection", huge.waitClosed());
            after = metricsAfterDelta(admin, before, "ttroute_disconnects_total", {{"reason", "bad_frame"}}, 1);
        }
        assertDelta(before, after, "ttroute_frames_rejected_total", {{"reason", "length_above_max"}}, 1);
        assertDelta(before, after, "ttroute_frames_rejected_total", {{"reason", "length_below_header"}}, 0);
        assertDelta(before, after, "ttroute_disconnects_total", {{"reason", "bad_frame"}}, 1);
        assertValue(after, "ttroute_connected_msg_servers", {}, 2);

        // A USER_STATUS_UPDATE whose body is no protobuf message: dropped, the connection stays.
        before = settledMetrics(admin);
        f1.send(tttest::makeRawFrame(7, 0x070a, 0, std::string("\xff\xff\xff\xff", 4)));
        CPPUNIT_ASSERT(f1.sync().empty());
        CPPUNIT_ASSERT(f2.sync().empty());
        after = metricsAfterDelta(admin, before, "ttroute_bodies_dropped_total", {}, 1);
        assertDelta(before, after, "ttroute_bodies_dropped_total", {}, 1);
        assertDelta(before, after, "ttroute_received_pdus_total", {{"command", "user_status_update"}}, 1);
        assertDelta(before, after, "ttroute_notifications_total", {}, 0);
        assertDelta(before, after, "ttroute_status_queries_total", {}, 2);
        assertValue(after, "ttroute_connected_msg_servers", {}, 2);
        assertValue(after, "ttroute_online_users", {}, 0);
        for (const char* reason : {"eof", "bad_frame", "read_error"})
            assertDelta(before, after, "ttroute_disconnects_total", {{"reason", reason}}, 0);
        tttest::assertRelayed(f1, {&f2}, 1, "after the dropped body");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(host.log(), 0, host.stopWith(SIGTERM));
    }

    /// Issue: a reload is tthost_config_reloads_total{result="applied"} +1; narrowing
    /// route.allow closes the 127.0.0.2 connection as disconnect{not_allowed} +1 and refuses
    /// the next one (connections_refused +1); a SIGHUP on an unchanged file is
    /// {result="unchanged"} +1; a broken file {result="rejected"} +1.
    void reloadsAndAllowlistAreCounted()
    {
        RunningHost host(config(kEphemeralAdmin));
        const std::uint16_t port = host.port();
        const std::uint16_t admin = host.adminPort();
        FakeMsgServer local(port);
        FakeMsgServer other(port, "127.0.0.2");
        CPPUNIT_ASSERT(local.sync().empty());
        CPPUNIT_ASSERT(other.sync().empty());
        Exposition before = settledMetrics(admin);
        assertValue(before, "ttroute_connected_msg_servers", {}, 2);

        std::size_t mark = host.mark();
        host.rewrite(config(kEphemeralAdmin, "2s", "route.allow = 127.0.0.1/32\n"));
        host.waitForLine(mark, reloadedAfterChange("route.allow: (unset) -> 127.0.0.1/32"));
        CPPUNIT_ASSERT_MESSAGE("the 127.0.0.2 connection stays open", other.waitClosed(5s));
        Exposition after = metricsAfterDelta(admin, before, "ttroute_disconnects_total", {{"reason", "not_allowed"}}, 1);
        assertDelta(before, after, "tthost_config_reloads_total", {{"result", "applied"}}, 1);
        assertDelta(before, after, "tthost_config_reloads_total", {{"result", "unchanged"}}, 0);
        assertDelta(before, after, "tthost_config_reloads_total", {{"result", "rejected"}}, 0);
        assertDelta(before, after, "ttroute_disconnects_total", {{"reason", "not_allowed"}}, 1);
        assertDelta(before, after, "ttroute_disconnects_total", {{"reason", "eof"}}, 0);
        assertValue(after, "ttroute_connected_msg_servers", {}, 1);

        before = after;
        FakeMsgServer refused(port, "127.0.0.2");
        CPPUNIT_ASSERT_MESSAGE("a new 127.0.0.2 connection was not closed", refused.waitClosed(5s));
        after = metricsAfterDelta(admin, before, "ttroute_connections_refused_total", {}, 1);
        assertDelta(before, after, "ttroute_connections_refused_total", {}, 1);
        assertValue(after, "ttroute_connected_msg_servers", {}, 1);

        before = after;
        mark = host.mark();
        host.process().signal(SIGHUP);
        host.waitForLine(mark, {"configuration re-read on SIGHUP: no value changed"});
        after = settledMetrics(admin);
        assertDelta(before, after, "tthost_config_reloads_total", {{"result", "unchanged"}}, 1);
        assertDelta(before, after, "tthost_config_reloads_total", {{"result", "applied"}}, 0);
        assertDelta(before, after, "tthost_config_reloads_total", {{"result", "rejected"}}, 0);

        before = after;
        mark = host.mark();
        host.rewrite(config(kEphemeralAdmin, "2s", "route.allow = 127.0.0.1/32\nroute.idle_timeout = soon\n"));
        host.waitForLine(mark, {"configuration reload after ", " rejected, the running configuration stays in force: ", "route.idle_timeout"});
        after = settledMetrics(admin);
        assertDelta(before, after, "tthost_config_reloads_total", {{"result", "rejected"}}, 1);
        assertDelta(before, after, "tthost_config_reloads_total", {{"result", "applied"}}, 0);
        assertDelta(before, after, "tthost_config_reloads_total", {{"result", "unchanged"}}, 0);
        assertValue(after, "tthost_ready", {}, 1);
        CPPUNIT_ASSERT_EQUAL(std::string("1:2 "), query(local, {1}));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(host.log(), 0, host.stopWith(SIGTERM));
    }

    /// Issue: /healthz answers 200 and /readyz 200 while tthost serves, both with JSON.
    void healthAndReadinessWhileServing()
    {
        RunningHost host(config(kEphemeralAdmin));
        const std::uint16_t port = host.port();
        const std::uint16_t admin = host.adminPort();
        FakeMsgServer fake(port);
        CPPUNIT_ASSERT(fake.sync().empty());
        for (const char* path : {"/healthz", "/readyz"})
        {
            const HttpReply reply = http(admin, path);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(describe(path, reply), 200, reply.status);
            CPPUNIT_ASSERT_MESSAGE(describe(path, reply), reply.contentType.rfind("application/json", 0) == 0);
            const auto object = jsonObject(reply.body);
            CPPUNIT_ASSERT_MESSAGE(describe(path, reply), object->has("status") && object->get("status").isString());
        }
        // The same connection may ask again (keep-alive).
        Poco::Net::HTTPClientSession session("127.0.0.1", admin);
        session.setTimeout(Poco::Timespan(10, 0));
        for (int round = 0; round < 3; ++round)
        {
            Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, "/healthz", Poco::Net::HTTPMessage::HTTP_1_1);
            session.sendRequest(request);
            Poco::Net::HTTPResponse response;
            std::string body;
            Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(body, 200, static_cast<int>(response.getStatus()));
        }
        CPPUNIT_ASSERT_EQUAL_MESSAGE(host.log(), 0, host.stopWith(SIGTERM));
    }

    /// Issue: with host.drain_timeout = 5s, a msg server that never reads and megabytes of
    /// relayed MSG_DATA queued for it, SIGTERM starts a drain with work to wait for; /readyz
    /// answers 503 before the process exits (the admin endpoint stays up meanwhile, and
    /// tthost_ready reads 0); tthost then exits 0.
    void readyzAnswers503WhileDraining()
    {
        RunningHost host(config(kEphemeralAdmin, "5s", "route.max_outbox_bytes = 512M\n"));
        const std::uint16_t port = host.port();
        const std::uint16_t admin = host.adminPort();
        FakeMsgServer slow(port);
        slow.socket().setReceiveBufferSize(64 * 1024);
        FakeMsgServer flooder(port);
        CPPUNIT_ASSERT(slow.sync().empty()); // the last time `slow` reads
        CPPUNIT_ASSERT(flooder.sync().empty());

        const std::size_t target = std::max<std::size_t>(8u << 20, tttest::maxSendBuffer() + (4u << 20));
        std::size_t bytes = 0;
        for (std::uint32_t i = 0; bytes < target; ++i)
        {
            const std::string frame = tttest::msgData(800, 801, i, std::string(64 * 1024, static_cast<char>('a' + i % 26)));
            bytes += frame.size();
            flooder.send(frame);
        }
        CPPUNIT_ASSERT(flooder.sync().empty()); // every frame is routed to `slow`
        const Exposition queued = settledMetrics(admin);
        CPPUNIT_ASSERT_MESSAGE(queued.text, queued.value("ttroute_outbox_queued_bytes") > 0);
        assertValue(queued, "tthost_ready", {}, 1);
        const HttpReply ready = http(admin, "/readyz");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(describe("/readyz", ready), 200, ready.status);

        const std::size_t mark = host.mark();
        host.process().signal(SIGTERM);
        HttpReply draining;
        std::string lastError;
        int status = -1; // the exit status, once seen
        const auto deadline = Clock::now() + 20s;
        while (Clock::now() < deadline)
        {
            try
            {
                draining = http(admin, "/readyz");
                if (draining.status == 503)
                    break;
            }
            catch (const Poco::Exception& error)
            {
                lastError = error.displayText();
                status = host.process().wait(0ms);
                if (!host.process().running())
                    break; // exited without /readyz ever saying 503
            }
            std::this_thread::sleep_for(20ms);
        }
        CPPUNIT_ASSERT_EQUAL_MESSAGE("/readyz after SIGTERM, before the exit (last error: " + lastError + "); the log:\n" + host.log(), 503,
                                     draining.status);
        const auto notReady = jsonObject(draining.body);
        CPPUNIT_ASSERT_MESSAGE(draining.body, notReady->has("status") && notReady->get("status").isString());
        CPPUNIT_ASSERT_MESSAGE("/readyz said 503 but no stop was logged:\n" + host.log(),
                               !tttest::linesWith(host.log(), {"received Terminated, stopping"}, mark).empty());

        // The endpoint is still up while the drain waits (unless the drain just ended, which the exit shows).
        try
        {
            const HttpReply health = http(admin, "/healthz");
            CPPUNIT_ASSERT_EQUAL_MESSAGE(describe("/healthz", health), 200, health.status);
            const Exposition page = scrape(admin);
            assertValue(page, "tthost_ready", {}, 0);
        }
        catch (const Poco::Exception& error)
        {
            // Acceptable only because the drain just ended: then tthost exits now.
            if (host.process().running())
                status = host.process().wait(15s);
            CPPUNIT_ASSERT_MESSAGE("the admin endpoint failed (" + error.displayText() + ") but tthost does not exit; the log:\n" + host.log(),
                                   !host.process().running());
        }

        if (host.process().running())
            status = host.process().wait(25s);
        if (host.process().running())
        {
            host.process().signal(SIGKILL);
            host.process().wait(5s);
        }
        CPPUNIT_ASSERT_EQUAL_MESSAGE(host.log(), 0, status);
    }

    /// Issue: /peers has one entry per fake server with remote_address its local address,
    /// distinct ids, master null before ROLE_SET and true/false after, users_hosted as logged
    /// in, pdus_in and bytes_in at least what each sent, pdus_out at least what each received;
    /// a closed server leaves the list.
    void peersListsEveryConnection()
    {
        RunningHost host(config(kEphemeralAdmin));
        const std::uint16_t port = host.port();
        const std::uint16_t admin = host.adminPort();
        FakeMsgServer f1(port);
        FakeMsgServer f2(port);
        FakeMsgServer f3(port);
        FakeMsgServer* fakes[] = {&f1, &f2, &f3};
        const std::string syncFrame = tttest::statusRequest(0xF000, 0x5EC0DE, {});
        std::map<FakeMsgServer*, std::uint64_t> framesSent, bytesSent, framesReceived;
        auto send = [&](FakeMsgServer& fake, const std::string& frame) {
            fake.send(frame);
            framesSent[&fake] += 1;
            bytesSent[&fake] += frame.size();
        };
        auto sync = [&](FakeMsgServer& fake) {
            const auto got = fake.sync();
            framesSent[&fake] += 1;
            bytesSent[&fake] += syncFrame.size();
            framesReceived[&fake] += got.size() + 1;
            return got;
        };
        for (FakeMsgServer* fake : fakes)
            CPPUNIT_ASSERT(sync(*fake).empty());

        send(f1, tttest::statusUpdate(10, kOnline, kWindows));
        send(f1, tttest::statusUpdate(11, kOnline, kAndroid));
        send(f2, tttest::statusUpdate(12, kOnline, kMac));
        send(f3, tttest::msgData(10, 12, 1, "hello"));
        for (FakeMsgServer* fake : fakes)
            sync(*fake);

        auto checkPeers = [&](const std::map<std::string, std::string>& expectedMaster) {
            const auto peers = peersByAddress(admin);
            CPPUNIT_ASSERT_EQUAL(std::size_t(3), peers.size());
            std::set<std::uint64_t> ids;
            const std::map<FakeMsgServer*, std::uint64_t> hosted{{&f1, 2}, {&f2, 1}, {&f3, 0}};
            for (FakeMsgServer* fake : fakes)
            {
                const std::string address = addressOf(*fake);
                const auto found = peers.find(address);
                CPPUNIT_ASSERT_MESSAGE("no peer with remote_address " + address, found != peers.end());
                const auto& peer = found->second;
                std::ostringstream json;
                peer->stringify(json);
                const std::string context = address + ": " + json.str();
                CPPUNIT_ASSERT_MESSAGE("ids not distinct: " + context, ids.insert(numberField(peer, "id")).second);
                Poco::DateTime since;
                int zone = 0;
                CPPUNIT_ASSERT_MESSAGE(context, Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::ISO8601_FRAC_FORMAT,
                                                                               stringField(peer, "connected_since"), since, zone));
                CPPUNIT_ASSERT_MESSAGE(context, peer->has("master"));
                const std::string master = expectedMaster.at(address);
                if (master == "null")
                    CPPUNIT_ASSERT_MESSAGE("master should be null: " + context, peer->isNull("master"));
                else
                {
                    CPPUNIT_ASSERT_MESSAGE("master should be a boolean: " + context, peer->get("master").isBoolean());
                    CPPUNIT_ASSERT_EQUAL_MESSAGE(context, master == "true", peer->get("master").extract<bool>());
                }
                CPPUNIT_ASSERT_EQUAL_MESSAGE(context, hosted.at(fake), numberField(peer, "users_hosted"));
                CPPUNIT_ASSERT_MESSAGE(context + " sent " + std::to_string(framesSent[fake]), numberField(peer, "pdus_in") >= framesSent[fake]);
                CPPUNIT_ASSERT_MESSAGE(context + " sent bytes " + std::to_string(bytesSent[fake]), numberField(peer, "bytes_in") >= bytesSent[fake]);
                CPPUNIT_ASSERT_MESSAGE(context + " received " + std::to_string(framesReceived[fake]),
                                       numberField(peer, "pdus_out") >= framesReceived[fake]);
                CPPUNIT_ASSERT_MESSAGE(context, numberField(peer, "bytes_out") >= numberField(peer, "pdus_out") * 16);
                numberField(peer, "queue_bytes");
            }
        };
        checkPeers({{addressOf(f1), "null"}, {addressOf(f2), "null"}, {addressOf(f3), "null"}});

        send(f1, tttest::roleSet(true));
        send(f2, tttest::roleSet(false));
        for (FakeMsgServer* fake : fakes)
            sync(*fake);
        checkPeers({{addressOf(f1), "true"}, {addressOf(f2), "false"}, {addressOf(f3), "null"}});

        // A server that goes leaves the list.
        const std::string goneAddress = addressOf(f3);
        f3.close();
        const auto deadline = Clock::now() + 10s;
        auto peers = peersByAddress(admin);
        while (peers.size() != 2 && Clock::now() < deadline)
        {
            std::this_thread::sleep_for(20ms);
            peers = peersByAddress(admin);
        }
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), peers.size());
        CPPUNIT_ASSERT(peers.count(goneAddress) == 0);
        CPPUNIT_ASSERT(peers.count(addressOf(f1)) == 1 && peers.count(addressOf(f2)) == 1);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(host.log(), 0, host.stopWith(SIGTERM));
    }

    /// Issue: /presence?user=A&user=unknown lists A online with each connection and its
    /// client types and counts exactly, the unknown user offline with no connections; a
    /// mobile-only user reads offline with its logins listed, as a status query answers.
    void presenceReportsLoginsPerConnection()
    {
        RunningHost host(config(kEphemeralAdmin));
        const std::uint16_t port = host.port();
        const std::uint16_t admin = host.adminPort();
        FakeMsgServer f1(port);
        FakeMsgServer f2(port);
        CPPUNIT_ASSERT(f1.sync().empty());
        CPPUNIT_ASSERT(f2.sync().empty());

        const std::uint32_t userA = 100, mobileOnly = 101, unknown = 999999;
        f1.send(tttest::statusUpdate(userA, kOnline, kWindows));
        f1.send(tttest::statusUpdate(userA, kOnline, kWindows));
        f1.send(tttest::statusUpdate(userA, kOnline, kAndroid));
        f2.send(tttest::statusUpdate(userA, kOnline, kMac));
        f2.send(tttest::statusUpdate(mobileOnly, kOnline, kIos));
        f1.sync();
        f2.sync();
        f1.sync(); // f2's notifications to f1 are read: the status query below gets its answer first

        const auto peers = peersByAddress(admin);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), peers.size());
        const std::uint64_t id1 = numberField(peers.at(addressOf(f1)), "id");
        const std::uint64_t id2 = numberField(peers.at(addressOf(f2)), "id");
        auto connectionText = [&](const std::map<std::uint64_t, std::string>& logins) {
            std::string joined;
            for (const auto& [id, entries] : logins)
                joined += (joined.empty() ? "" : " ") + std::to_string(id) + ":" + entries;
            return joined;
        };

        auto users = presence(admin, "user=" + std::to_string(userA) + "&user=" + std::to_string(unknown));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), users->size());
        const auto a = users->getObject(0);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(userA), numberField(a, "user_id"));
        CPPUNIT_ASSERT_EQUAL(std::string("online"), stringField(a, "status"));
        CPPUNIT_ASSERT_EQUAL(connectionText({{id1, "android=1,windows=2"}, {id2, "mac=1"}}), describeConnections(a));
        const auto nobody = users->getObject(1);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(unknown), numberField(nobody, "user_id"));
        CPPUNIT_ASSERT_EQUAL(std::string("offline"), stringField(nobody, "status"));
        CPPUNIT_ASSERT_EQUAL(std::string(), describeConnections(nobody));

        users = presence(admin, "user=" + std::to_string(mobileOnly));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), users->size());
        const auto mobile = users->getObject(0);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(mobileOnly), numberField(mobile, "user_id"));
        CPPUNIT_ASSERT_EQUAL(std::string("offline"), stringField(mobile, "status"));
        CPPUNIT_ASSERT_EQUAL(connectionText({{id2, "ios=1"}}), describeConnections(mobile));

        // The same answers as a status query gives.
        CPPUNIT_ASSERT_EQUAL(std::string("100:1 101:2 999999:2 "), query(f1, {userA, mobileOnly, unknown}));

        // One windows login of A goes: the count follows.
        f1.send(tttest::statusUpdate(userA, kOffline, kWindows));
        f1.sync();
        users = presence(admin, "user=" + std::to_string(userA));
        CPPUNIT_ASSERT_EQUAL(connectionText({{id1, "android=1,windows=1"}, {id2, "mac=1"}}), describeConnections(users->getObject(0)));

        // Missing or non-numeric ids: 400 with a JSON error.
        for (const std::string path : {"/presence", "/presence?", "/presence?id=100", "/presence?user=", "/presence?user=abc",
                                       "/presence?user=12x", "/presence?user=100&user=x", "/presence?user=-1", "/presence?user=4294967296"})
            assertJsonError(path, http(admin, path), 400);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(host.log(), 0, host.stopWith(SIGTERM));
    }

    /// Issue ("missing or non-numeric user -> 400"): ids with a comma are not numbers; they
    /// must not be read as some other user (Poco's NumberParser skips ',' as a thousands
    /// separator: "1,000" would be user 1000 and "," user 0).
    void presenceRejectsIdsThatAreNotPlainNumbers()
    {
        RunningHost host(config(kEphemeralAdmin));
        host.port();
        const std::uint16_t admin = host.adminPort();
        for (const std::string path : {"/presence?user=,", "/presence?user=1,2", "/presence?user=1,000"})
            assertJsonError(path, http(admin, path), 400);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(host.log(), 0, host.stopWith(SIGTERM));
    }

    /// Issue: an unknown path is 404 with a JSON body; POST (and other methods) are 405 with
    /// Allow: GET.
    void unknownPathIs404AndNonGetIs405()
    {
        RunningHost host(config(kEphemeralAdmin));
        host.port();
        const std::uint16_t admin = host.adminPort();
        for (const std::string path : {"/nope", "/index.html", "/metrics/extra", "/peers/1", "/METRICS"})
            assertJsonError(path, http(admin, path), 404);
        for (const std::string& method : {Poco::Net::HTTPRequest::HTTP_POST, Poco::Net::HTTPRequest::HTTP_PUT, Poco::Net::HTTPRequest::HTTP_DELETE})
        {
            const HttpReply reply = http(admin, "/metrics", method);
            assertJsonError(method + " /metrics", reply, 405);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(method + " " + describe("/metrics", reply), std::string("GET"), reply.allow);
        }
        const HttpReply post = http(admin, "/healthz", Poco::Net::HTTPRequest::HTTP_POST);
        CPPUNIT_ASSERT_EQUAL(405, post.status);
        CPPUNIT_ASSERT_EQUAL(std::string("GET"), post.allow);
        // Still serving.
        CPPUNIT_ASSERT_EQUAL(200, http(admin, "/healthz").status);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(host.log(), 0, host.stopWith(SIGTERM));
    }

    /// Issue: host.admin.listen changed by a reload to a port found free: the new port answers
    /// /healthz, the old one refuses; then set empty: "admin endpoint closed", the port
    /// refuses, and route traffic goes on unaffected.
    void adminListenMovesAndClosesOnReload()
    {
        RunningHost host(config(kEphemeralAdmin));
        const std::uint16_t port = host.port();
        const std::uint16_t oldAdmin = host.adminPort();
        FakeMsgServer a(port);
        FakeMsgServer b(port);
        CPPUNIT_ASSERT(a.sync().empty());
        CPPUNIT_ASSERT(b.sync().empty());
        a.send(tttest::statusUpdate(600, kOnline, kWindows));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), a.sync().size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), b.sync().size());
        CPPUNIT_ASSERT_EQUAL(200, http(oldAdmin, "/healthz").status);

        std::size_t mark = host.mark();
        const std::uint16_t newAdmin = tttest::freePort();
        const std::string newAddress = "127.0.0.1:" + std::to_string(newAdmin);
        host.rewrite(config(newAddress));
        host.waitForLine(mark, reloadedAfterChange("host.admin.listen: " + kEphemeralAdmin + " -> " + newAddress));
        host.waitForLine(mark, {"admin endpoint at http://" + newAddress + "/"});
        CPPUNIT_ASSERT_EQUAL(newAdmin, host.adminPort(1));
        const HttpReply health = http(newAdmin, "/healthz");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(describe("/healthz", health), 200, health.status);
        const Exposition page = scrape(newAdmin);
        assertValue(page, "tthost_config_reloads_total", {{"result", "applied"}}, 1);
        assertValue(page, "ttroute_connected_msg_servers", {}, 2);
        std::string what;
        CPPUNIT_ASSERT_MESSAGE("the old admin port " + std::to_string(oldAdmin) + ": " + what, tttest::connectionRefused(oldAdmin, what));
        tttest::assertRelayed(a, {&b}, 1, "after the admin endpoint moved");

        mark = host.mark();
        host.rewrite(config(""));
        host.waitForLine(mark, {"admin endpoint closed"});
        host.waitForLine(mark, reloadedAfterChange("host.admin.listen: " + newAddress + " -> "));
        CPPUNIT_ASSERT_MESSAGE("the closed admin port " + std::to_string(newAdmin) + ": " + what, tttest::connectionRefused(newAdmin, what));
        CPPUNIT_ASSERT_MESSAGE(host.log(), tttest::linesWith(host.log(), {"admin endpoint at"}, mark).empty());

        // Route traffic is unaffected: the same connections relay and answer, new ones connect.
        tttest::assertRelayed(a, {&b}, 2, "after the admin endpoint closed");
        CPPUNIT_ASSERT_EQUAL(std::string("600:1 601:2 "), query(b, {600, 601}));
        FakeMsgServer c(port);
        CPPUNIT_ASSERT(c.sync().empty());
        tttest::assertRelayed(c, {&a, &b}, 3, "from a connection made after");
        CPPUNIT_ASSERT_MESSAGE(host.log(), tttest::linesWith(host.log(), {"disconnected"}).empty());
        CPPUNIT_ASSERT_EQUAL_MESSAGE(host.log(), 0, host.stopWith(SIGTERM));
    }

    /// Issue: with host.admin.listen empty from the start, no admin line is logged (not even
    /// by the time a later reload is done), and the route server serves as usual.
    void noAdminEndpointWhenListenIsEmpty()
    {
        RunningHost host(config(""));
        const std::uint16_t port = host.port();
        FakeMsgServer a(port);
        FakeMsgServer b(port);
        CPPUNIT_ASSERT(a.sync().empty());
        CPPUNIT_ASSERT(b.sync().empty());
        tttest::assertRelayed(a, {&b}, 1, "without an admin endpoint");

        // A reload runs in the main loop after start-up is over: any admin line came before it.
        const std::size_t mark = host.mark();
        host.rewrite(config("", "2s", "route.max_status_query_ids = 100\n"));
        host.waitForLine(mark, reloadedAfterChange("route.max_status_query_ids: (unset) -> 100"));
        const std::string log = host.log();
        CPPUNIT_ASSERT_MESSAGE(log, log.find("admin endpoint") == std::string::npos);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(log, 0, host.stopWith(SIGTERM));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(AdminEndToEndTest);
