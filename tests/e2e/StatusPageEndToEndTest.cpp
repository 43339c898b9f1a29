// The status page (GET / of the admin endpoint) as a browser shows it: the real tthost with
// fake msg servers carrying known users and traffic, the page loaded in headless Chromium
// (Debian's chromium package, --dump-dom) and the rendered DOM checked against what the
// traffic, the configuration file and the JSON endpoints say it must show: version, relay
// mode, readiness, each msg server's users and logins by client type, the online users, a
// disconnect and its reason, the charts' counts, a configuration key and the last reload. The
// banner for an endpoint that stops answering, and its going away when the endpoint is back,
// are checked against a scripted endpoint that serves the real page and fails on cue; 1,000
// msg servers against the real tthost (all rows, sorting and the filter from the address's
// fragment). The page's source is checked to load nothing from anywhere else. Loopback only,
// ephemeral ports only; Chromium runs in a process group of its own, killed whole after each
// run; conditions are waited for, never times.
#include "AdminHttp.h"
#include "FakeMsgServer.h"
#include "MsgServerChecks.h"
#include "ProtocolConstants.h"
#include "RunningHost.h"
#include "WireFrames.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/URI.h>

#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <csignal>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <regex>
#include <set>
#include <thread>
#include <sys/resource.h>
#include <unistd.h>

using tttest::FakeMsgServer;
using tttest::HttpReply;
using tttest::RunningHost;
using namespace tttest::protocol;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace
{

/// Debian's chromium package (scripts/deps.sh installs it).
const std::string kChromium = "/usr/bin/chromium";

/// The configuration of the host under test: route and admin endpoint on ephemeral loopback
/// ports, targeted relay (not the default, so the page must really show it), a recognisable
/// key, no heartbeats or idle timeouts to disturb the counts.
std::string config(const std::string& queryIds = "777")
{
    return "# written by StatusPageEndToEndTest\n"
           "host.route.listen = 127.0.0.1:0\n"
           "host.admin.listen = 127.0.0.1:0\n"
           "route.relay.mode = targeted\n"
           "route.max_status_query_ids = " + queryIds + "\n"
           "route.heartbeat_interval = 1h\n"
           "route.idle_timeout = 1h\n";
}

// ---------------------------------------------------------------------------------------
// JSON from the admin endpoint
// ---------------------------------------------------------------------------------------

/// GET `path` as a JSON object; null when the endpoint does not serve it (404) or it is not one.
Poco::JSON::Object::Ptr getJson(std::uint16_t port, const std::string& path)
{
    const HttpReply reply = tttest::http(port, path);
    if (reply.status != 200)
        return nullptr;
    try
    {
        return Poco::JSON::Parser().parse(reply.body).extract<Poco::JSON::Object::Ptr>();
    }
    catch (const Poco::Exception&)
    {
        return nullptr;
    }
}

/// The samples of /history; null when it is not served.
Poco::JSON::Array::Ptr historySamples(std::uint16_t admin)
{
    const auto history = getJson(admin, "/history");
    return history && history->isArray("samples") ? history->getArray("samples") : nullptr;
}

/// The sum of pdus[`command`] over the samples of /history; -1 when it is not served.
long long historyTotal(std::uint16_t admin, const std::string& command)
{
    const auto samples = historySamples(admin);
    if (!samples)
        return -1;
    long long total = 0;
    for (std::size_t i = 0; i < samples->size(); ++i)
    {
        const auto sample = samples->getObject(static_cast<unsigned>(i));
        if (sample && sample->isObject("pdus") && sample->getObject("pdus")->has(command))
            total += sample->getObject("pdus")->getValue<long long>(command);
    }
    return total;
}

/// Polls `reached` every 50 ms until it holds or `timeout` passes; returns whether it held.
bool waitUntil(const std::function<bool()>& reached, std::chrono::milliseconds timeout = 15s)
{
    const auto deadline = Clock::now() + timeout;
    while (!reached())
    {
        if (Clock::now() >= deadline)
            return false;
        std::this_thread::sleep_for(50ms);
    }
    return true;
}

// ---------------------------------------------------------------------------------------
// Chromium
// ---------------------------------------------------------------------------------------

/// Fails the test, in one line, when Chromium is not installed: the suite needs it.
void requireChromium()
{
    if (::access(kChromium.c_str(), X_OK) != 0)
        CPPUNIT_FAIL(kChromium + " is missing: run scripts/deps.sh (it installs Debian's chromium package)");
}

struct RenderedPage
{
    std::string dom;
    std::string errors;
    double seconds = 0;
};

/// Loads `url` in headless Chromium with a fresh profile, lets the page run for
/// `virtualMs` of virtual time (which stands still while requests are pending, so a slow
/// machine changes nothing) and returns the DOM as it then is.
RenderedPage renderPage(const std::string& url, int virtualMs = 3000)
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
    const auto started = Clock::now();
    const int status = tttest::runGroupToCompletion(kChromium, args, profile.path(), page.dom, page.errors, 120s);
    page.seconds = std::chrono::duration<double>(Clock::now() - started).count();
    CPPUNIT_ASSERT_MESSAGE("chromium exited with " + std::to_string(status) + " on " + url + "; its errors:\n" + page.errors,
                           status == 0 && page.dom.find("</html>") != std::string::npos);
    return page;
}

// ---------------------------------------------------------------------------------------
// Reading the dumped DOM
// ---------------------------------------------------------------------------------------

/// The element of `html` whose start tag has `attribute`="`value`": its markup from the start
/// tag to the matching end tag (the start tag alone for an element without one); empty when
/// there is none. Chromium's serialisation is well-formed, which this relies on.
std::string element(const std::string& html, const std::string& attribute, const std::string& value)
{
    const std::size_t at = html.find(" " + attribute + "=\"" + value + "\"");
    if (at == std::string::npos)
        return {};
    const std::size_t open = html.rfind('<', at);
    std::size_t nameEnd = open + 1;
    while (nameEnd < html.size() && std::isalnum(static_cast<unsigned char>(html[nameEnd])))
        ++nameEnd;
    const std::string name = html.substr(open + 1, nameEnd - open - 1);
    const std::size_t startEnd = html.find('>', at);
    static const std::set<std::string> voids{"input", "br", "img", "link", "meta", "hr"};
    if (voids.count(name))
        return html.substr(open, startEnd + 1 - open);
    int depth = 1;
    std::size_t position = startEnd + 1;
    while (depth > 0)
    {
        const std::size_t next = html.find('<', position);
        if (next == std::string::npos)
            return html.substr(open);
        if (html.compare(next, name.size() + 2, "</" + name) == 0)
            --depth;
        else if (html.compare(next + 1, name.size(), name) == 0 &&
                 !std::isalnum(static_cast<unsigned char>(html[next + 1 + name.size()])))
            ++depth;
        position = next + 1;
    }
    return html.substr(open, html.find('>', position) + 1 - open);
}

/// The value of `attribute` on the first start tag of `markup`; `missing` when it has none.
std::string attribute(const std::string& markup, const std::string& name, const std::string& missing = "(none)")
{
    const std::size_t tagEnd = markup.find('>');
    const std::string tag = markup.substr(0, tagEnd);
    const std::size_t at = tag.find(" " + name + "=\"");
    if (at == std::string::npos)
        return tag.find(" " + name + " ") != std::string::npos || tag.find(" " + name + ">") != std::string::npos ||
                       (tag.size() > name.size() && tag.compare(tag.size() - name.size() - 1, name.size() + 1, " " + name) == 0)
                   ? ""
                   : missing;
    const std::size_t start = at + name.size() + 3;
    return tag.substr(start, tag.find('"', start) - start);
}

/// The text of `markup`: tags left out, the entities Chromium writes decoded.
std::string text(const std::string& markup)
{
    std::string plain;
    bool inTag = false;
    for (const char c : markup)
    {
        if (c == '<')
            inTag = true;
        else if (c == '>')
            inTag = false;
        else if (!inTag)
            plain += c;
    }
    const std::pair<const char*, const char*> entities[] = {{"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&nbsp;", " "}, {"&amp;", "&"}};
    for (const auto& [entity, character] : entities)
        for (std::size_t at = plain.find(entity); at != std::string::npos; at = plain.find(entity, at + 1))
            plain.replace(at, std::string(entity).size(), character);
    return plain;
}

/// The text of the element with id `id`.
std::string textById(const std::string& dom, const std::string& id)
{
    return text(element(dom, "id", id));
}

/// Every start tag's src or href value, and every CSS @import or url(), of `html`.
std::vector<std::string> references(const std::string& html)
{
    static const std::regex pattern(R"((?:\s(?:src|href|action|formaction|poster|data)\s*=\s*["']?([^"'\s>]*))|(@import[^;]*)|(url\([^)]*\)))",
                                    std::regex::icase);
    std::vector<std::string> found;
    for (auto it = std::sregex_iterator(html.begin(), html.end(), pattern); it != std::sregex_iterator(); ++it)
        found.push_back((*it)[0].str());
    return found;
}

/// The references of `html` that could reach another origin: anything naming a scheme other
/// than data:, a "//" authority, or any @import; empty when the page is self-contained.
std::string externalReferences(const std::string& html)
{
    std::string external;
    for (const std::string& reference : references(html))
    {
        std::string lower = reference;
        std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        const bool dataUrl = lower.find("\"data:") != std::string::npos || lower.find("=data:") != std::string::npos ||
                             lower.find("'data:") != std::string::npos;
        if (lower.find("@import") != std::string::npos || lower.find("//") != std::string::npos ||
            lower.find("url(") != std::string::npos || (lower.find(':') != std::string::npos && !dataUrl))
            external += "  " + reference + "\n";
    }
    return external;
}

/// Failed checks, gathered so one run reports all of them.
class Checks
{
public:
    void expect(bool holds, const std::string& what)
    {
        if (!holds)
            failures_.push_back(what);
    }

    void expectEqual(const std::string& expected, const std::string& actual, const std::string& what)
    {
        expect(expected == actual, what + ": expected '" + expected + "', the page shows '" + actual + "'");
    }

    /// Fails the test listing every failed check, with the DOM to look at.
    void assertAll(const std::string& dom) const
    {
        if (failures_.empty())
            return;
        std::string message = std::to_string(failures_.size()) + " check(s) of the rendered page failed:\n";
        for (const auto& failure : failures_)
            message += "- " + failure + "\n";
        CPPUNIT_FAIL(message + "the DOM:\n" + dom);
    }

private:
    std::vector<std::string> failures_;
};

/// The local address of a fake's socket, as the route server names its connection.
std::string addressOf(FakeMsgServer& fake)
{
    return fake.socket().address().toString();
}

// ---------------------------------------------------------------------------------------
// A scripted endpoint: the real page and recorded answers, failing on cue
// ---------------------------------------------------------------------------------------

/// An HTTP endpoint on 127.0.0.1 that serves the bodies it was given by path and, during the
/// n-th refresh of the page (from 1) when `fails(n)` holds, closes each connection without
/// answering, as a server that went away does. Refreshes are counted by GET /host, which the
/// page asks first in each.
class ScriptedEndpoint
{
public:
    using Answers = std::map<std::string, HttpReply>;

    ScriptedEndpoint(Answers answers, std::function<bool(int)> fails)
        : answers_(std::move(answers))
        , fails_(std::move(fails))
        , socket_(Poco::Net::SocketAddress("127.0.0.1", 0))
    {
        auto params = Poco::makeAuto<Poco::Net::HTTPServerParams>();
        params->setMaxThreads(8);
        params->setKeepAlive(false);
        server_ = std::make_unique<Poco::Net::HTTPServer>(Poco::makeShared<Factory>(*this), socket_, params);
        server_->start();
    }

    ~ScriptedEndpoint() { server_->stopAll(true); }

    std::uint16_t port() const { return socket_.address().port(); }

    /// Requests that were failed on cue.
    int failed() const
    {
        std::lock_guard lock(mutex_);
        return failed_;
    }

private:
    class Handler : public Poco::Net::HTTPRequestHandler
    {
    public:
        explicit Handler(ScriptedEndpoint& owner)
            : owner_(owner)
        {
        }

        void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override
        {
            const std::string path = Poco::URI(request.getURI()).getPath();
            if (owner_.failsNow(path))
            {
                // No answer at all: the client sees the connection close, as when tthost is gone.
                static_cast<Poco::Net::HTTPServerRequestImpl&>(request).socket().shutdown();
                return;
            }
            const auto found = owner_.answers_.find(path);
            const HttpReply reply = found != owner_.answers_.end() ? found->second : HttpReply{404, "application/json", "", R"({"error":"no"})"};
            response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(reply.status));
            response.setContentType(reply.contentType);
            response.sendBuffer(reply.body.data(), reply.body.size());
        }

    private:
        ScriptedEndpoint& owner_;
    };

    class Factory : public Poco::Net::HTTPRequestHandlerFactory
    {
    public:
        explicit Factory(ScriptedEndpoint& owner)
            : owner_(owner)
        {
        }

        Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override
        {
            return std::make_unique<Handler>(owner_).release();
        }

    private:
        ScriptedEndpoint& owner_;
    };

    bool failsNow(const std::string& path)
    {
        if (path == "/")
            return false;
        std::lock_guard lock(mutex_);
        if (path == "/host")
            ++refresh_;
        const bool fail = fails_(refresh_);
        failed_ += fail ? 1 : 0;
        return fail;
    }

    const Answers answers_;
    const std::function<bool(int)> fails_;
    mutable std::mutex mutex_;
    int refresh_ = 0;
    int failed_ = 0;
    Poco::Net::ServerSocket socket_;
    std::unique_ptr<Poco::Net::HTTPServer> server_;
};

} // namespace

class StatusPageEndToEndTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(StatusPageEndToEndTest);
    CPPUNIT_TEST(domReaderFindsWhatChecksRelyOn);
    CPPUNIT_TEST(pageIsSelfContained);
    CPPUNIT_TEST(renderedPageShowsServersUsersTrafficAndConfiguration);
    CPPUNIT_TEST(bannerShowsWhileTheEndpointIsGoneAndLeavesWhenItAnswers);
    CPPUNIT_TEST(thousandMsgServersAreListedSortedAndFiltered);
    CPPUNIT_TEST_SUITE_END();

public:
    /// The helpers that read the DOM find nested elements, attributes and text, and the
    /// reference check catches each way of loading something from elsewhere: checks built
    /// on helpers that see nothing would prove nothing.
    void domReaderFindsWhatChecksRelyOn()
    {
        const std::string html = R"(<div id="a" data-x="1"><div>in<span> &amp; &lt;b&gt;</span></div>out</div><div id="b" hidden="">2</div><input id="c" value="v">)";
        CPPUNIT_ASSERT_EQUAL(std::string(R"(<div id="a" data-x="1"><div>in<span> &amp; &lt;b&gt;</span></div>out</div>)"), element(html, "id", "a"));
        CPPUNIT_ASSERT_EQUAL(std::string("in & <b>out"), textById(html, "a"));
        CPPUNIT_ASSERT_EQUAL(std::string("1"), attribute(element(html, "id", "a"), "data-x"));
        CPPUNIT_ASSERT_EQUAL(std::string(""), attribute(element(html, "id", "b"), "hidden"));
        CPPUNIT_ASSERT_EQUAL(std::string("(none)"), attribute(element(html, "id", "a"), "hidden"));
        CPPUNIT_ASSERT_EQUAL(std::string("v"), attribute(element(html, "id", "c"), "value"));
        CPPUNIT_ASSERT(element(html, "id", "z").empty());

        CPPUNIT_ASSERT_EQUAL(std::string(), externalReferences(R"(<link rel="icon" href="data:,"><a href="#x">x</a><a href="/host">h</a>)"));
        for (const char* bad : {R"(<script src="https://cdn.example/x.js"></script>)", R"(<link href="//fonts.example/f.css">)",
                                R"(<img src=http://example/a.png>)", "<style>@import 'x.css';</style>", "<style>b{background:url(x.png)}</style>",
                                R"x(<a href="javascript:alert(1)">)x"})
            CPPUNIT_ASSERT_MESSAGE(bad, !externalReferences(bad).empty());
    }

    /// Issue: the page is one self-contained file: no script, style, font or image from
    /// anywhere (src/href name nothing but this page and data:, no @import, no url()), and
    /// data is inserted as text only (no innerHTML and the like).
    void pageIsSelfContained()
    {
        RunningHost host(config());
        const std::uint16_t admin = host.adminPort();
        const HttpReply page = tttest::http(admin, "/");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(page.body, 200, page.status);
        CPPUNIT_ASSERT_MESSAGE(page.contentType, page.contentType.rfind("text/html", 0) == 0);
        CPPUNIT_ASSERT_MESSAGE(page.body, page.body.rfind("<!DOCTYPE html>", 0) == 0 && page.body.find("</html>") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE("references to elsewhere:\n" + externalReferences(page.body), externalReferences(page.body).empty());
        for (const char* pattern : {"<link rel=\"stylesheet", "<script src", "<iframe", "<img", "<object", "<embed", "@font-face", "innerHTML",
                                    "outerHTML", "insertAdjacentHTML", "document.write", "eval("})
            CPPUNIT_ASSERT_MESSAGE(std::string("the page uses ") + pattern, page.body.find(pattern) == std::string::npos);
        // The one absolute URL allowed: the SVG namespace, which names and loads nothing.
        std::string rest = page.body;
        for (std::size_t at = rest.find("http://www.w3.org/2000/svg"); at != std::string::npos; at = rest.find("http://www.w3.org/2000/svg"))
            rest.erase(at, 26);
        CPPUNIT_ASSERT_MESSAGE("an absolute URL in the page", rest.find("http://") == std::string::npos && rest.find("https://") == std::string::npos);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(host.log(), 0, host.stopWith(SIGTERM));
    }

    /// Issue: with two msg servers connected (known users and logins by client type, MSG_DATA
    /// from one to the other, status queries) and a third gone (eof), and the configuration
    /// reloaded once, the rendered page shows the version, relay mode, readiness, both
    /// servers with their users and logins per client type, the online users, the disconnect
    /// and its reason, the msg_data chart's count, the configuration key's new value and the
    /// reload; no error banner, and nothing in the rendered DOM refers elsewhere.
    void renderedPageShowsServersUsersTrafficAndConfiguration()
    {
        requireChromium();
        RunningHost host(config());
        const std::uint16_t port = host.port();
        const std::uint16_t admin = host.adminPort();
        // The history counts what came after its first look at the counters, taken by a thread
        // of its own: the traffic waits for a sample, so all of it is counted.
        const bool historyServed = historySamples(admin) != nullptr;
        if (historyServed)
            CPPUNIT_ASSERT_MESSAGE("/history never had a sample", waitUntil([&] {
                const auto samples = historySamples(admin);
                return samples && samples->size() > 0;
            }));

        auto a = tttest::connectAdmitted(port);
        auto b = tttest::connectAdmitted(port);
        auto c = tttest::connectAdmitted(port);
        // A: 101 on windows, 102 on windows and android, 103 on ios.
        a->send(tttest::statusUpdate(101, kOnline, kWindows));
        a->send(tttest::statusUpdate(102, kOnline, kWindows));
        a->send(tttest::statusUpdate(102, kOnline, kAndroid));
        a->send(tttest::statusUpdate(103, kOnline, kIos));
        // B: 201 on mac, 202 on two windows devices.
        b->send(tttest::statusUpdate(201, kOnline, kMac));
        b->send(tttest::statusUpdate(202, kOnline, kWindows));
        b->send(tttest::statusUpdate(202, kOnline, kWindows));
        // C: 301 on windows, then gone.
        c->send(tttest::statusUpdate(301, kOnline, kWindows));
        for (auto* fake : {a.get(), b.get(), c.get()})
            fake->sync();
        const std::string addressA = addressOf(*a), addressB = addressOf(*b), addressC = addressOf(*c);
        c->close();
        // MSG_DATA from 101 on A to 201 on B: relayed to B only (targeted).
        constexpr int kMessages = 25;
        for (int i = 0; i < kMessages; ++i)
            a->send(tttest::msgData(101, 201, static_cast<std::uint32_t>(1000 + i), "status page " + std::to_string(i)));
        a->sync();
        // B also hears of C's user (notifications), whenever they come: only MSG_DATA counts.
        std::size_t relayed = 0;
        CPPUNIT_ASSERT(waitUntil([&] {
            for (const auto& frame : b->sync())
                relayed += frame.commandId == kMsgData ? 1 : 0;
            return relayed >= static_cast<std::size_t>(kMessages);
        }));
        CPPUNIT_ASSERT_EQUAL(static_cast<std::size_t>(kMessages), relayed);

        // The configuration reloaded once: a changed key, and "applied" as the last result.
        const std::size_t mark = host.mark();
        host.rewrite(config("778"));
        host.waitForLine(mark, {"configuration reloaded", "route.max_status_query_ids: 777 -> 778"});

        // Wait until the endpoints say what the traffic did, where they are served.
        const auto hostJson = getJson(admin, "/host");
        CPPUNIT_ASSERT_MESSAGE("GET /host", hostJson);
        const std::string version = hostJson->getValue<std::string>("version");
        const bool statusServed = getJson(admin, "/status") != nullptr;
        if (statusServed)
            CPPUNIT_ASSERT_MESSAGE("/status never counted 2 msg servers and 5 users", waitUntil([&] {
                const auto status = getJson(admin, "/status");
                return status && status->getValue<int>("msg_servers") == 2 && status->getValue<int>("online_users") == 5;
            }));
        const bool disconnectsServed = getJson(admin, "/disconnects") != nullptr;
        if (disconnectsServed)
            CPPUNIT_ASSERT_MESSAGE("/disconnects never listed C", waitUntil([&] {
                return tttest::http(admin, "/disconnects").body.find("\"" + addressC + "\"") != std::string::npos;
            }));
        if (historyServed)
            CPPUNIT_ASSERT_MESSAGE("/history never summed to " + std::to_string(kMessages) + " msg_data",
                                   waitUntil([&] { return historyTotal(admin, "msg_data") == kMessages; }));

        const RenderedPage page = renderPage("http://127.0.0.1:" + std::to_string(admin) + "/");
        const std::string& dom = page.dom;
        std::cout << "\n  [status page: rendered in " << page.seconds << " s; /status " << (statusServed ? "served" : "NOT served")
                  << ", /disconnects " << (disconnectsServed ? "served" : "NOT served") << ", /history "
                  << (historyServed ? "served" : "NOT served") << "] " << std::flush;

        Checks checks;
        const std::string body = dom.substr(dom.find("<body"));
        checks.expectEqual("true", attribute(body, "data-loaded"), "the page loaded its data (body data-loaded)");
        const std::string banner = element(dom, "id", "banner");
        checks.expect(attribute(banner, "hidden") == "" && attribute(banner, "data-state") == "ok",
                      "no error banner: " + banner);
        checks.expectEqual(version, textById(dom, "version"), "version");
        checks.expectEqual("targeted", textById(dom, "relay-mode"), "relay mode (needs /status)");
        checks.expectEqual("true", attribute(element(dom, "id", "readiness"), "data-ready"), "readiness");
        checks.expectEqual("ready", textById(dom, "readiness"), "readiness text");
        checks.expectEqual("5", attribute(element(dom, "id", "online-users"), "data-value"), "online users (needs /status)");
        checks.expectEqual("2", textById(dom, "msg-servers"), "msg servers tile");

        // The msg servers table: A and B with their users and logins per client type.
        const std::string peers = element(dom, "id", "peers-body");
        const std::string count = element(dom, "id", "peer-count");
        checks.expectEqual("2", attribute(count, "data-total"), "msg servers listed");
        checks.expect(element(peers, "data-address", addressC).empty(), "C, which is gone, is not listed");
        struct Expected
        {
            std::string name, address, users;
            std::map<std::string, std::string> logins;
        };
        for (const Expected& expected : {Expected{"A", addressA, "3", {{"windows", "2"}, {"mac", "0"}, {"ios", "1"}, {"android", "1"}}},
                                         Expected{"B", addressB, "2", {{"windows", "2"}, {"mac", "1"}, {"ios", "0"}, {"android", "0"}}}})
        {
            const std::string row = element(peers, "data-address", expected.address);
            checks.expect(!row.empty(), expected.name + " (" + expected.address + ") is listed");
            if (row.empty())
                continue;
            checks.expectEqual(expected.address, text(element(row, "data-col", "address")), expected.name + " address cell");
            checks.expectEqual(expected.users, text(element(row, "data-col", "users")), expected.name + " users (needs users_hosted)");
            for (const auto& [type, logins] : expected.logins)
                checks.expectEqual(logins, text(element(row, "data-col", "logins_" + type)),
                                   expected.name + " " + type + " logins (needs the extended /peers)");
        }

        // The disconnect of C, with its reason.
        const std::string disconnect = element(element(dom, "id", "disconnects-body"), "data-address", addressC);
        checks.expect(!disconnect.empty(), "the disconnect of C (" + addressC + ") is listed (needs /disconnects)");
        if (!disconnect.empty())
        {
            checks.expectEqual("eof", attribute(disconnect, "data-reason"), "C's disconnect reason");
            checks.expectEqual("eof", text(element(disconnect, "data-col", "reason")), "C's disconnect reason as shown");
        }

        // Charts: the msg_data chart counts exactly the MSG_DATA sent; status queries have one.
        const std::string msgChart = element(dom, "data-chart", "pdus:msg_data");
        checks.expect(!msgChart.empty(), "a msg_data chart (needs /history)");
        checks.expectEqual(std::to_string(kMessages), attribute(msgChart, "data-total"), "msg_data PDUs charted (needs /history)");
        checks.expect(!element(dom, "data-chart", "status_queries").empty(), "a status queries chart (needs /history)");

        // Configuration: the key's value now, and the reload that changed it.
        const std::string key = element(element(dom, "id", "config-body"), "data-key", "route.max_status_query_ids");
        checks.expectEqual("778", text(element(key, "data-col", "value")), "route.max_status_query_ids in the configuration table");
        checks.expectEqual("applied", attribute(element(dom, "id", "config-reload"), "data-result"), "the last reload's result");
        checks.expect(textById(dom, "config-reload-message").find("route.max_status_query_ids: 777 -> 778") != std::string::npos,
                      "the last reload's message: " + textById(dom, "config-reload-message"));
        checks.expect(textById(dom, "config-reload-when").find("at ") == 0, "the last reload's time: " + textById(dom, "config-reload-when"));

        checks.expect(externalReferences(dom).empty(), "the rendered DOM refers elsewhere:\n" + externalReferences(dom));
        checks.assertAll(dom);

        a->close();
        b->close();
        CPPUNIT_ASSERT_EQUAL_MESSAGE(host.log(), 0, host.stopWith(SIGTERM));
    }

    /// Issue: when the endpoint stops answering, the page says so in a banner (keeping the
    /// last figures), and once it answers again the banner goes by itself. The real page,
    /// and answers recorded from the real tthost, served by an endpoint that drops the
    /// connection on cue.
    void bannerShowsWhileTheEndpointIsGoneAndLeavesWhenItAnswers()
    {
        requireChromium();
        ScriptedEndpoint::Answers answers;
        {
            RunningHost host(config());
            const std::uint16_t port = host.port();
            const std::uint16_t admin = host.adminPort();
            auto fake = tttest::connectAdmitted(port);
            fake->send(tttest::statusUpdate(4242, kOnline, kWindows));
            fake->sync();
            for (const char* path : {"/", "/host", "/status", "/peers", "/disconnects", "/readyz", "/history"})
                answers[path] = tttest::http(admin, path);
            fake->close();
            CPPUNIT_ASSERT_EQUAL_MESSAGE(host.log(), 0, host.stopWith(SIGTERM));
        }

        // The first refresh is answered, none after it.
        {
            ScriptedEndpoint gone(answers, [](int nth) { return nth > 1; });
            const RenderedPage page = renderPage("http://127.0.0.1:" + std::to_string(gone.port()) + "/", 8000);
            Checks checks;
            const std::string banner = element(page.dom, "id", "banner");
            checks.expect(gone.failed() > 0, "the endpoint failed requests");
            checks.expectEqual("(none)", attribute(banner, "hidden"), "the banner is shown");
            checks.expectEqual("down", attribute(banner, "data-state"), "the banner's state");
            checks.expect(text(banner).find("Not answering") != std::string::npos, "the banner says so: " + text(banner));
            checks.expectEqual("down", attribute(element(page.dom, "id", "live"), "data-state"), "the header's state");
            checks.expect(page.dom.find("<body class=\"stale\"") != std::string::npos || page.dom.find(" class=\"stale\"") != std::string::npos,
                          "the figures are marked stale");
            checks.expect(!element(page.dom, "id", "version").empty() && textById(page.dom, "version") != "–",
                          "the last figures stay: version " + textById(page.dom, "version"));
            checks.assertAll(page.dom);
        }

        // The first refresh is answered, the next two are not, those after them are again.
        {
            ScriptedEndpoint blip(answers, [](int nth) { return nth == 2 || nth == 3; });
            const RenderedPage page = renderPage("http://127.0.0.1:" + std::to_string(blip.port()) + "/", 12000);
            Checks checks;
            const std::string banner = element(page.dom, "id", "banner");
            const std::string body = page.dom.substr(page.dom.find("<body"));
            checks.expect(blip.failed() > 0, "the endpoint failed requests");
            checks.expectEqual("1", attribute(body, "data-outages"), "the page saw one outage");
            checks.expectEqual("", attribute(banner, "hidden"), "the banner is gone again");
            checks.expectEqual("ok", attribute(banner, "data-state"), "the banner's state");
            checks.expectEqual("live", attribute(element(page.dom, "id", "live"), "data-state"), "the header's state");
            checks.assertAll(page.dom);
        }
    }

    /// Issue: with 1,000 msg servers connected the page lists all of them (render time
    /// printed), sorts by a column named in the address's fragment (#sort=users: the one
    /// with the most users first) and filters by address (#filter=PORT: "1 of 1000").
    void thousandMsgServersAreListedSortedAndFiltered()
    {
        requireChromium();
        constexpr std::size_t kServers = 1000;
        // A descriptor each, here and in tthost (which inherits the limit).
        rlimit files{};
        ::getrlimit(RLIMIT_NOFILE, &files);
        if (files.rlim_cur < 4096 && files.rlim_max > files.rlim_cur)
        {
            files.rlim_cur = std::min<rlim_t>(files.rlim_max, 4096);
            ::setrlimit(RLIMIT_NOFILE, &files);
        }
        RunningHost host(config());
        const std::uint16_t port = host.port();
        const std::uint16_t admin = host.adminPort();
        // One user each; the 700th, the busiest, has five.
        std::vector<std::unique_ptr<FakeMsgServer>> fakes;
        for (std::size_t i = 0; i < kServers; ++i)
        {
            const auto user = static_cast<std::uint32_t>(10000 + i);
            fakes.push_back(std::make_unique<FakeMsgServer>(port));
            if (i == 699)
                fakes.back()->send(tttest::onlineUserInfo({{user, kOnline, kAndroid}, {1, kOnline, kWindows}, {2, kOnline, kWindows},
                                                           {3, kOnline, kIos}, {4, kOnline, kMac}}));
            else
                fakes.back()->send(tttest::onlineUserInfo({{user, kOnline, kAndroid}}));
        }
        FakeMsgServer& busiest = *fakes[699];
        for (auto& fake : fakes)
            CPPUNIT_ASSERT(fake->sync().empty());
        CPPUNIT_ASSERT_MESSAGE("/peers never listed 1000 msg servers", waitUntil([&] {
            const auto peers = getJson(admin, "/peers");
            return peers && peers->isArray("peers") && peers->getArray("peers")->size() == kServers;
        }));
        const std::string base = "http://127.0.0.1:" + std::to_string(admin) + "/";

        const RenderedPage all = renderPage(base + "#sort=users&dir=desc");
        const std::string rows = element(all.dom, "id", "peers-body");
        std::size_t listed = 0;
        for (std::size_t at = rows.find("<tr data-id="); at != std::string::npos; at = rows.find("<tr data-id=", at + 1))
            ++listed;
        // Chromium's clocks stand still in virtual time, so the page's own render figures read 0
        // here: the wall time of the whole run is the figure (scripts/status-page-screenshot.sh
        // --measure gives the page's own, in real time).
        std::cout << "\n  [1000 msg servers: Chromium started, loaded the page, fetched and rendered them in " << all.seconds
                  << " s] " << std::flush;
        Checks checks;
        checks.expectEqual(std::to_string(kServers), std::to_string(listed), "rows in the table");
        checks.expectEqual(std::to_string(kServers), attribute(element(all.dom, "id", "peer-count"), "data-total"), "the count's total");
        const std::size_t firstRow = rows.find("<tr data-id=");
        checks.expect(firstRow != std::string::npos &&
                          attribute(rows.substr(firstRow), "data-address") == addressOf(busiest),
                      "sorted by users, the busiest (" + addressOf(busiest) + ") comes first");
        checks.expectEqual("descending", attribute(element(all.dom, "data-col", "users"), "aria-sort"), "the users header shows the order");
        checks.assertAll(all.dom);

        const std::string onePort = std::to_string(fakes[321]->socket().address().port());
        const RenderedPage filtered = renderPage(base + "#filter=" + onePort);
        const std::string count = element(filtered.dom, "id", "peer-count");
        Checks filterChecks;
        filterChecks.expectEqual("1", attribute(count, "data-shown"), "msg servers shown by the filter");
        filterChecks.expectEqual(std::to_string(kServers), attribute(count, "data-total"), "msg servers in all");
        filterChecks.expectEqual("1 of 1,000", text(count), "the count");
        filterChecks.expect(!element(element(filtered.dom, "id", "peers-body"), "data-address", addressOf(*fakes[321])).empty(),
                            "the filtered row is the one asked for");
        filterChecks.assertAll(filtered.dom);

        fakes.clear();
        CPPUNIT_ASSERT_EQUAL_MESSAGE(host.log(), 0, host.stopWith(SIGTERM));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(StatusPageEndToEndTest);
