#pragma once

#include <Poco/JSON/Object.h>

#include <string>
#include <utility>
#include <vector>

namespace ttctl
{

/// Counts by client type as the admin endpoint gives them ({"windows": 2, "android": 1}),
/// in TeamTalk's order (windows, mac, ios, android, then any other type by name).
class LoginCounts
{
public:
    /// The counts of `counts` (a null pointer: none).
    explicit LoginCounts(const Poco::JSON::Object::Ptr& counts);

    /// The non-zero counts for a table cell: "windows=2,android=1"; empty when there is none.
    std::string compact() const;

    /// The counts for a line, zeros too but for types other than TeamTalk's four (such as
    /// "other"): "windows 2, mac 0, ios 0, android 1".
    std::string spelled() const;

private:
    std::vector<std::pair<std::string, std::string>> counts_;
};

} // namespace ttctl
