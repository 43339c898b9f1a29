#include "StatusPageDom.h"

#include <algorithm>
#include <cctype>
#include <regex>
#include <set>
#include <utility>
#include <vector>

namespace
{

/// Every start tag's src or href value (and the like), and every CSS @import or url(), of `html`.
std::vector<std::string> references(const std::string& html)
{
    static const std::regex pattern(R"((?:\s(?:src|href|action|formaction|poster|data)\s*=\s*["']?([^"'\s>]*))|(@import[^;]*)|(url\([^)]*\)))",
                                    std::regex::icase);
    std::vector<std::string> found;
    for (auto it = std::sregex_iterator(html.begin(), html.end(), pattern); it != std::sregex_iterator(); ++it)
        found.push_back((*it)[0].str());
    return found;
}

} // namespace

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

std::string attribute(const std::string& markup, const std::string& name, const std::string& missing)
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

std::string textById(const std::string& dom, const std::string& id)
{
    return text(element(dom, "id", id));
}

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
