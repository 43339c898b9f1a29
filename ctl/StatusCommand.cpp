#include "StatusCommand.h"

#include "FieldList.h"
#include "HumanText.h"
#include "JsonFields.h"
#include "LoginCounts.h"

namespace ttctl
{
namespace
{

/// The traces running, "400, 401 until 2026-11-29T04:00:00Z; ...", or "none".
std::string traces(const Poco::JSON::Array::Ptr& list)
{
    std::string text;
    for (std::size_t i = 0; list && i < list->size(); ++i)
    {
        const auto trace = JsonFields::element(list, i);
        std::string users;
        const auto ids = JsonFields::array(trace, "users");
        for (std::size_t j = 0; ids && j < ids->size(); ++j)
            users += (users.empty() ? "" : ", ") + JsonFields::text(ids->get(static_cast<unsigned>(j)));
        text += (text.empty() ? "" : "; ") + users + " until " + HumanText::time(JsonFields::text(trace, "until"));
    }
    return text.empty() ? "none" : text;
}

} // namespace

StatusCommand::StatusCommand(bool json)
    : json_(json)
{
}

void StatusCommand::run(const AdminClient& client, std::ostream& out) const
{
    const AdminAnswer host = client.get("/host");
    const AdminAnswer route = client.get("/status");
    if (json_)
    {
        out << "{\"host\":" << host.body << ",\"route\":" << route.body << "}\n";
        return;
    }

    FieldList fields;
    std::string version = JsonFields::text(host.json, "version");
    const std::string routeVersion = JsonFields::text(route.json, "version");
    if (!routeVersion.empty() && routeVersion != version)
        version += " (route plugin " + routeVersion + ")";
    fields.add("version", version);
    const auto uptime = JsonFields::number(host.json, "uptime_seconds");
    const std::string started = JsonFields::text(host.json, "started");
    fields.add("uptime", (uptime ? HumanText::duration(*uptime) : std::string("-")) + (started.empty() ? "" : ", since " + HumanText::time(started)));
    fields.add("ready", JsonFields::text(host.json, "ready"));
    fields.add("relay mode", JsonFields::text(route.json, "relay_mode"));
    fields.add("announce via master", JsonFields::text(route.json, "announce_via_master"));
    fields.add("peer loss grace", JsonFields::text(route.json, "peer_loss_grace"));
    fields.add("msg servers", JsonFields::text(route.json, "msg_servers"));
    fields.add("online users", JsonFields::text(route.json, "online_users"));
    fields.add("logins", LoginCounts(JsonFields::object(route.json, "logins")).spelled());
    const auto queued = JsonFields::number(route.json, "outbox_queued_bytes");
    fields.add("queued for msg servers", queued ? HumanText::bytes(static_cast<std::uint64_t>(*queued)) : "");
    fields.add("traces", traces(JsonFields::array(route.json, "traces")));

    const auto config = JsonFields::object(host.json, "config");
    const std::string file = JsonFields::text(config, "file");
    fields.add("config file", file.empty() ? "none" : file);
    const auto reloads = JsonFields::object(config, "reloads");
    if (reloads)
    {
        fields.add("reloads", JsonFields::text(reloads, "applied") + " applied, " + JsonFields::text(reloads, "unchanged") + " unchanged, " +
                                  JsonFields::text(reloads, "rejected") + " rejected");
        const auto last = JsonFields::object(reloads, "last");
        fields.add("last reload", last ? JsonFields::text(last, "result") + " at " + HumanText::time(JsonFields::text(last, "at")) + ": " +
                                             JsonFields::text(last, "message")
                                       : "none");
    }
    fields.print(out);
}

} // namespace ttctl
