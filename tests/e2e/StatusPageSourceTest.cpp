// The status page's source (e2e_status_page): one self-contained file that loads nothing from
// anywhere else and inserts data as text only; and the DOM reader the rendered pages' checks
// rely on, shown to find what they look for.
#include "AdminHttp.h"
#include "HostFixture.h"
#include "StatusPageDom.h"
#include "StatusPageEndToEnd.h"

#include <cppunit/extensions/HelperMacros.h>

class StatusPageSourceTest : public tttest::HostFixture
{
    CPPUNIT_TEST_SUITE(StatusPageSourceTest);
    CPPUNIT_TEST(domReaderFindsWhatChecksRelyOn);
    CPPUNIT_TEST(pageIsSelfContained);
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
        const std::uint16_t admin = startWithAdmin(config());
        const tttest::HttpReply page = tttest::http(admin, "/");
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
        stopCleanly();
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(StatusPageSourceTest);
