#include "PeersCommand.h"

#include "HumanText.h"
#include "JsonFields.h"
#include "LoginCounts.h"
#include "Table.h"

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeParser.h>
#include <Poco/Timestamp.h>

namespace ttctl
{
namespace
{

std::string bytes(const Poco::JSON::Object::Ptr& peer, const std::string& key)
{
    const auto value = JsonFields::number(peer, key);
    return value ? HumanText::bytes(static_cast<std::uint64_t>(*value)) : std::string();
}

/// How long ago a peer last sent a whole PDU: "0.3s ago". The server gives the moment as
/// an ISO 8601 time or as milliseconds since the epoch, or null when nothing came yet.
std::string ago(const Poco::JSON::Object::Ptr& peer, const std::string& key)
{
    if (!peer || !peer->has(key))
        return {};
    if (peer->isNull(key))
        return "never";
    const Poco::Dynamic::Var value = peer->get(key);
    Poco::Timestamp when;
    if (value.isString())
    {
        Poco::DateTime parsed;
        int zone = 0;
        if (!Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::ISO8601_FRAC_FORMAT, value.extract<std::string>(), parsed, zone))
            return value.extract<std::string>();
        parsed.makeUTC(zone);
        when = parsed.timestamp();
    }
    else if (value.isNumeric() && !value.isBoolean())
        when = Poco::Timestamp(static_cast<Poco::Timestamp::TimeVal>(value.convert<double>() * 1000));
    else
        return JsonFields::text(value);
    const double seconds = static_cast<double>(Poco::Timestamp() - when) / 1e6;
    return HumanText::duration(seconds < 0 ? 0 : seconds) + " ago";
}

std::string role(const Poco::JSON::Object::Ptr& peer)
{
    if (!peer->has("master") || peer->isNull("master"))
        return "-";
    return peer->get("master").convert<bool>() ? "master" : "non-master";
}

} // namespace

PeersCommand::PeersCommand(bool json)
    : json_(json)
{
}

void PeersCommand::run(const AdminClient& client, std::ostream& out) const
{
    const AdminAnswer answer = client.get("/peers");
    if (json_)
    {
        out << answer.body << '\n';
        return;
    }
    using Align = Table::Align;
    Table table({{"ID", Align::Right},
                 {"ADDRESS", Align::Left},
                 {"CONNECTED SINCE", Align::Left},
                 {"USERS", Align::Right},
                 {"LOGINS", Align::Left},
                 {"PDUS IN", Align::Right},
                 {"BYTES IN", Align::Right},
                 {"PDUS OUT", Align::Right},
                 {"BYTES OUT", Align::Right},
                 {"QUEUED", Align::Right},
                 {"LAST RECEIVE", Align::Right},
                 {"ROLE", Align::Left}});
    const auto peers = JsonFields::array(answer.json, "peers");
    for (std::size_t i = 0; peers && i < peers->size(); ++i)
    {
        const auto peer = JsonFields::element(peers, i);
        if (!peer)
            continue;
        table.add({JsonFields::text(peer, "id"), JsonFields::text(peer, "remote_address"), HumanText::time(JsonFields::text(peer, "connected_since")),
                   JsonFields::text(peer, "users_hosted"), LoginCounts(JsonFields::object(peer, "logins")).compact(),
                   JsonFields::text(peer, "pdus_in"), bytes(peer, "bytes_in"), JsonFields::text(peer, "pdus_out"), bytes(peer, "bytes_out"),
                   bytes(peer, "queue_bytes"), ago(peer, "last_receive"), role(peer)});
    }
    if (table.empty())
        out << "no msg server is connected\n";
    else
        table.print(out);
}

} // namespace ttctl
