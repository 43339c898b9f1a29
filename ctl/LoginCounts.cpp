#include "LoginCounts.h"

#include "JsonFields.h"

#include <algorithm>
#include <iterator>

namespace ttctl
{
namespace
{

constexpr const char* kOrder[] = {"windows", "mac", "ios", "android"};

std::size_t rank(const std::string& type)
{
    return static_cast<std::size_t>(std::find(std::begin(kOrder), std::end(kOrder), type) - std::begin(kOrder));
}

} // namespace

LoginCounts::LoginCounts(const Poco::JSON::Object::Ptr& counts)
{
    if (!counts)
        return;
    for (const auto& [type, value] : *counts)
        counts_.emplace_back(type, JsonFields::text(value));
    std::sort(counts_.begin(), counts_.end(), [](const auto& a, const auto& b) {
        return std::make_pair(rank(a.first), a.first) < std::make_pair(rank(b.first), b.first);
    });
}

std::string LoginCounts::compact() const
{
    std::string text;
    for (const auto& [type, count] : counts_)
        if (count != "0")
            text += (text.empty() ? "" : ",") + type + "=" + count;
    return text;
}

std::string LoginCounts::spelled() const
{
    std::string text;
    for (const auto& [type, count] : counts_)
        if (count != "0" || rank(type) < std::size(kOrder))
            text += (text.empty() ? "" : ", ") + type + " " + count;
    return text;
}

} // namespace ttctl
