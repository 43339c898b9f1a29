#include "TraceCommand.h"

#include "CtlError.h"
#include "HumanText.h"

#include <Poco/URI.h>

#include <algorithm>

namespace ttctl
{

TraceCommand::TraceCommand(const std::vector<std::string>& arguments, const std::optional<std::string>& forDuration, bool json)
    : ids_("trace", arguments)
    , for_(forDuration)
    , length_(kDefaultFor)
{
    if (json)
        throw CtlError::usage("--json does not apply to trace, which prints the server's text lines");
    if (for_)
    {
        const auto length = HumanText::parseDuration(*for_);
        if (!length)
            throw CtlError::usage("--for: '" + *for_ + "' is not a duration (e.g. 30s, 5m)");
        length_ = *length;
    }
}

void TraceCommand::run(const AdminClient& client, std::ostream& out) const
{
    std::string path = "/trace?" + ids_.query();
    if (for_)
    {
        std::string length;
        Poco::URI::encode(*for_, "&=+?#", length);
        path += "&for=" + length;
    }
    // The server may be quiet for the whole trace; it ends the trace by its length at the latest.
    const auto quietLimit = std::min<std::chrono::milliseconds>(length_, kMaxFor) + kGrace;
    // Each piece is shown at once; when nobody reads the output any more (`| head`), ttctl stops.
    client.follow(path, quietLimit, [&out](const std::string& piece) {
        out << piece;
        out.flush();
        return out.good();
    });
}

} // namespace ttctl
