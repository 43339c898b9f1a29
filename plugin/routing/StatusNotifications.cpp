#include "StatusNotifications.h"

#include "IM.Buddy.pb.h"
#include "IM.Server.pb.h"
#include "wire/Frame.h"
#include "wire/ProtocolIds.h"

namespace ttroute
{

std::uint32_t appendStatusNotifications(std::string& out, CommandTally& tally, std::uint32_t userId, std::uint32_t status,
                                        std::uint32_t clientType, PresenceOutcome outcome)
{
    std::uint32_t frames = 0;
    std::size_t before = out.size();
    const bool offline = status == UserStatus::Offline;
    const bool pc = isPcClientType(clientType);
    if (outcome.known && ((offline && pc && !outcome.pcOnline) || (!offline && outcome.pcOnline)))
    {
        IM::Server::IMServerPCLoginStatusNotify notify;
        notify.set_user_id(userId);
        notify.set_login_status(offline ? 0 : 1);
        appendFrame(out, ServiceId::Other, CommandId::LoginStatusNotify, 0, notify);
        tally.add(CommandId::LoginStatusNotify, out.size() - before);
        before = out.size();
        ++frames;
    }
    if (pc && !(offline && outcome.pcOnline))
    {
        IM::Buddy::IMUserStatNotify notify;
        notify.mutable_user_stat()->set_user_id(userId);
        notify.mutable_user_stat()->set_status(static_cast<IM::BaseDefine::UserStatType>(status));
        appendFrame(out, ServiceId::BuddyList, CommandId::BuddyStatusNotify, 0, notify);
        tally.add(CommandId::BuddyStatusNotify, out.size() - before);
        ++frames;
    }
    return frames;
}

} // namespace ttroute
