#include "Logins.h"

#include "ProtocolConstants.h"
#include "WireFrames.h"

namespace tttest
{

std::string loginUpdates(const std::vector<Login>& logins)
{
    std::string frames;
    for (const Login& login : logins)
        frames += statusUpdate(login.user, protocol::kOnline, login.clientType);
    return frames;
}

void logIn(FakeMsgServer& fake, const std::vector<Login>& logins)
{
    fake.send(loginUpdates(logins));
    fake.sync();
}

void logIn(FakeMsgServer& fake, std::uint32_t user, std::uint32_t clientType)
{
    logIn(fake, {{user, clientType}});
}

} // namespace tttest
