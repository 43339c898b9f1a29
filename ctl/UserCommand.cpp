#include "UserCommand.h"

#include "JsonFields.h"
#include "Table.h"

namespace ttctl
{

UserCommand::UserCommand(const std::vector<std::string>& arguments, bool json)
    : ids_("user", arguments)
    , json_(json)
{
}

void UserCommand::run(const AdminClient& client, std::ostream& out) const
{
    const AdminAnswer answer = client.get("/presence?" + ids_.query());
    if (json_)
    {
        out << answer.body << '\n';
        return;
    }
    using Align = Table::Align;
    Table table({{"USER", Align::Right},
                 {"STATUS", Align::Left},
                 {"PEER", Align::Right},
                 {"ADDRESS", Align::Left},
                 {"CLIENT TYPE", Align::Left},
                 {"LOGINS", Align::Right}});
    const auto users = JsonFields::array(answer.json, "users");
    for (std::size_t i = 0; users && i < users->size(); ++i)
    {
        const auto user = JsonFields::element(users, i);
        const std::string id = JsonFields::text(user, "user_id");
        const std::string status = JsonFields::text(user, "status");
        bool listed = false;
        const auto connections = JsonFields::array(user, "connections");
        for (std::size_t j = 0; connections && j < connections->size(); ++j)
        {
            const auto connection = JsonFields::element(connections, j);
            const auto logins = JsonFields::array(connection, "logins");
            for (std::size_t k = 0; logins && k < logins->size(); ++k)
            {
                const auto login = JsonFields::element(logins, k);
                table.add({id, status, JsonFields::text(connection, "connection"), JsonFields::text(connection, "remote_address"),
                           JsonFields::text(login, "client_type"), JsonFields::text(login, "count")});
                listed = true;
            }
        }
        if (!listed)
            table.add({id, status, "", "", "", ""});
    }
    table.print(out);
}

} // namespace ttctl
