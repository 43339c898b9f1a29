// The status page's banner (e2e_status_page): shown while the endpoint stops answering, with
// the last figures kept and marked stale, and gone by itself once it answers again. The real
// page and answers recorded from the real tthost are served by a ScriptedEndpoint that drops
// connections on cue; the page is rendered by headless Chromium.
#include "AdminHttp.h"
#include "HeadlessChromium.h"
#include "HostFixture.h"
#include "PageChecks.h"
#include "ProtocolConstants.h"
#include "ScriptedEndpoint.h"
#include "StatusPageDom.h"
#include "StatusPageEndToEnd.h"
#include "WireFrames.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace tttest::protocol;

class StatusPageBannerTest : public tttest::HostFixture
{
    CPPUNIT_TEST_SUITE(StatusPageBannerTest);
    CPPUNIT_TEST(bannerShowsWhileTheEndpointIsGoneAndLeavesWhenItAnswers);
    CPPUNIT_TEST_SUITE_END();

public:
    /// Issue: when the endpoint stops answering, the page says so in a banner (keeping the
    /// last figures), and once it answers again the banner goes by itself. The real page,
    /// and answers recorded from the real tthost, served by an endpoint that drops the
    /// connection on cue.
    void bannerShowsWhileTheEndpointIsGoneAndLeavesWhenItAnswers()
    {
        requireChromium();
        ScriptedEndpoint::Answers answers;
        {
            const std::uint16_t admin = startWithAdmin(config());
            tttest::FakeMsgServer& fake = connectMsgServer();
            fake.send(tttest::statusUpdate(4242, kOnline, kWindows));
            fake.sync();
            for (const char* path : {"/", "/host", "/status", "/peers", "/disconnects", "/readyz", "/history"})
                answers[path] = tttest::http(admin, path);
            fake.close();
            stopCleanly();
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
};

CPPUNIT_TEST_SUITE_REGISTRATION(StatusPageBannerTest);
