// The status page with 1,000 msg servers connected to the real tthost (e2e_status_page): every
// one listed (the render time printed), sorted by a column named in the address's fragment, and
// filtered by address, as headless Chromium renders it.
#include "AdminJson.h"
#include "HeadlessChromium.h"
#include "HostFixture.h"
#include "PageChecks.h"
#include "PollUntil.h"
#include "ProtocolConstants.h"
#include "StatusPageDom.h"
#include "StatusPageEndToEnd.h"
#include "WireFrames.h"

#include <Poco/JSON/Array.h>

#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <iostream>
#include <memory>
#include <sys/resource.h>

using tttest::addressOf;
using tttest::FakeMsgServer;
using namespace tttest::protocol;

class StatusPageThousandTest : public tttest::HostFixture
{
    CPPUNIT_TEST_SUITE(StatusPageThousandTest);
    CPPUNIT_TEST(thousandMsgServersAreListedSortedAndFiltered);
    CPPUNIT_TEST_SUITE_END();

public:
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
        const std::uint16_t admin = startWithAdmin(config());
        // One user each; the 700th, the busiest, has five.
        std::vector<std::unique_ptr<FakeMsgServer>> fakes;
        for (std::size_t i = 0; i < kServers; ++i)
        {
            const auto user = static_cast<std::uint32_t>(10000 + i);
            fakes.push_back(std::make_unique<FakeMsgServer>(port()));
            if (i == 699)
                fakes.back()->send(tttest::onlineUserInfo({{user, kOnline, kAndroid}, {1, kOnline, kWindows}, {2, kOnline, kWindows},
                                                           {3, kOnline, kIos}, {4, kOnline, kMac}}));
            else
                fakes.back()->send(tttest::onlineUserInfo({{user, kOnline, kAndroid}}));
        }
        FakeMsgServer& busiest = *fakes[699];
        for (auto& fake : fakes)
            CPPUNIT_ASSERT(fake->sync().empty());
        tttest::pollUntil("/peers listed 1000 msg servers", [&] {
            const auto peers = jsonIfServed(admin, "/peers");
            return peers && peers->isArray("peers") && peers->getArray("peers")->size() == kServers;
        });
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
        stopCleanly();
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(StatusPageThousandTest);
