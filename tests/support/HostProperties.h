#pragma once

// The properties file a test starts tthost with, built key by key instead of written out as
// text in every suite.

#include <string>
#include <vector>

namespace tttest
{

/// The text of a properties file for a tthost under test. It starts from what keeps a test to
/// itself (the route plugin on an ephemeral loopback port, no admin endpoint) and leaves every
/// other key to tthost's defaults until the test sets it, e.g.
///   HostProperties("AdminEndToEndTest").withAdmin().quietConnections().set("route.allow", "127.0.0.1/32").text()
class HostProperties
{
public:
    /// host.route.listen = 127.0.0.1:0 and host.admin.listen empty; with `writtenBy`, a first
    /// comment line naming the suite, for whoever finds the file in a temporary directory.
    explicit HostProperties(const std::string& writtenBy = "");

    /// Sets `key` to `value` (an empty value: the key is there, empty); a key set before keeps
    /// its place in the file and takes the new value.
    HostProperties& set(const std::string& key, const std::string& value);

    /// The admin endpoint on: host.admin.listen on an ephemeral loopback port.
    HostProperties& withAdmin();

    /// route.heartbeat_interval and route.idle_timeout of an hour: within a test no HEARTBEAT
    /// is sent and no connection idles out, so what a fake msg server receives, and what the
    /// route server counts, is exactly what the test caused.
    HostProperties& quietConnections();

    /// `lines` (each ending in a line feed) added at the end as they are: what is no
    /// "key = value" line, for a file that must be broken.
    HostProperties& append(const std::string& lines);

    /// The file: the comment, then a "key = value" line per key in the order the keys were
    /// first set, and appended lines where they were appended.
    std::string text() const;

private:
    /// One line of the file: a key and its value, or (key empty) text as it is.
    struct Line
    {
        std::string key;   ///< empty for a line appended as it is
        std::string value; ///< the key's value, or the appended text
    };

    std::vector<Line> lines_; ///< in the order of the file
};

} // namespace tttest
