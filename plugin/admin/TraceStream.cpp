#include "TraceStream.h"

#include <Poco/DateTimeFormatter.h>
#include <Poco/Timestamp.h>

#include <algorithm>
#include <vector>

namespace ttroute
{
namespace
{

/// How long a stream waits for lines before it looks whether its client is still there.
constexpr std::chrono::seconds kLookInterval{1};

std::string userList(const std::vector<std::uint32_t>& users)
{
    std::string list;
    for (std::uint32_t user : users)
        list += (list.empty() ? "" : ", ") + std::to_string(user);
    return list;
}

} // namespace

TraceStream::TraceStream(TraceSubscription& subscription, bool events, std::string length)
    : subscription_(subscription)
    , events_(events)
    , length_(std::move(length))
{
}

std::string TraceStream::framed(const std::string& line) const
{
    return events_ ? "data: " + line + "\n\n" : line + "\n";
}

void TraceStream::follow(tthost::AdminStream& out)
{
    const auto until = std::chrono::duration_cast<std::chrono::microseconds>(subscription_.untilWall().time_since_epoch()).count();
    const std::string users = userList(subscription_.users());
    if (!out.write(framed("# tracing user" + std::string(subscription_.users().size() == 1 ? " " : "s ") + users + " for " + length_ +
                          " (until " + Poco::DateTimeFormatter::format(Poco::Timestamp(until), "%Y-%m-%dT%H:%M:%SZ") +
                          "): one line per PDU that concerns them, never its content")))
        return;
    std::vector<std::string> lines;
    std::string batch;
    while (out.open())
    {
        const auto now = std::chrono::steady_clock::now();
        if (now >= subscription_.until())
        {
            out.write(framed("# trace of " + users + " ended: its " + length_ + " are over"));
            return;
        }
        lines.clear();
        const std::size_t dropped = subscription_.take(lines, std::min(subscription_.until(), now + kLookInterval));
        batch.clear();
        for (const std::string& line : lines)
            batch += framed(line);
        if (dropped > 0)
            batch += framed("# " + std::to_string(dropped) + " lines dropped here: this client reads more slowly than they come (all are in the route.trace log)");
        if (!batch.empty() && !out.write(batch))
            return;
    }
}

} // namespace ttroute
