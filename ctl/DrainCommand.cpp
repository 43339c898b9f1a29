#include "DrainCommand.h"

#include "CtlError.h"
#include "JsonFields.h"

namespace ttctl
{
namespace
{

bool isId(const std::string& text)
{
    return !text.empty() && text.size() <= 19 && text.find_first_not_of("0123456789") == std::string::npos;
}

} // namespace

DrainCommand::DrainCommand(const std::vector<std::string>& arguments, bool json)
    : json_(json)
{
    if (arguments.size() != 1)
        throw CtlError::usage("drain needs one peer: its id or its address (HOST:PORT), as ttctl peers shows them");
    peer_ = arguments.front();
    if (!isId(peer_) && peer_.find(':') == std::string::npos)
        throw CtlError::usage("'" + peer_ + "' is neither a peer id nor a HOST:PORT address");
}

std::string DrainCommand::peerId(const AdminClient& client) const
{
    if (isId(peer_))
        return std::to_string(std::stoull(peer_));
    const AdminAnswer answer = client.get("/peers");
    const auto peers = JsonFields::array(answer.json, "peers");
    for (std::size_t i = 0; peers && i < peers->size(); ++i)
    {
        const auto peer = JsonFields::element(peers, i);
        if (JsonFields::text(peer, "remote_address") == peer_)
            return JsonFields::text(peer, "id");
    }
    throw CtlError(CtlError::kRefused, "no msg server is connected from " + peer_);
}

void DrainCommand::run(const AdminClient& client, std::ostream& out) const
{
    const AdminAnswer answer = client.post("/drain?peer=" + peerId(client));
    if (json_)
    {
        out << answer.body << '\n';
        return;
    }
    const auto drained = JsonFields::object(answer.json, "drained");
    std::string hosted = JsonFields::text(drained, "users_hosted");
    out << "drained msg server " << JsonFields::text(drained, "id") << " at " << JsonFields::text(drained, "remote_address") << " ("
        << (hosted.empty() ? "?" : hosted) << (hosted == "1" ? " user" : " users")
        << " hosted): its connection closes once what is queued for it is sent, and it will reconnect\n";
}

} // namespace ttctl
