#include "ReloadCommand.h"

#include "JsonFields.h"

namespace ttctl
{

ReloadCommand::ReloadCommand(bool json)
    : json_(json)
{
}

void ReloadCommand::run(const AdminClient& client, std::ostream& out) const
{
    const AdminAnswer answer = client.post("/reload");
    if (json_)
        out << answer.body << '\n';
    else
        out << JsonFields::text(answer.json, "message") << '\n';
}

} // namespace ttctl
