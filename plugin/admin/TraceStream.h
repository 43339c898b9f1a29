#pragma once

#include "routing/TraceSubscription.h"

#include "tthost/AdminRequest.h"

#include <string>

namespace ttroute
{

/// One trace as the admin endpoint streams it (GET /trace): a first line saying what is
/// followed until when, every line as it comes, a line when some were dropped for a slow
/// reader, and a last line when its time is over. Lines about the trace itself start with
/// "# ". Plain text lines, or server-sent events ("data: LINE") for browsers.
class TraceStream
{
public:
    /// Streams `subscription`, which runs for `length` ("5m"), as events or as plain lines.
    TraceStream(TraceSubscription& subscription, bool events, std::string length);

    /// Writes to `out` until the trace's time is over or the client goes.
    void follow(tthost::AdminStream& out);

private:
    /// `line` framed as the stream is: "data: LINE\n\n" or "LINE\n".
    std::string framed(const std::string& line) const;

    TraceSubscription& subscription_;
    const bool events_;
    const std::string length_;
};

} // namespace ttroute
