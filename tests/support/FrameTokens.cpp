#include "FrameTokens.h"

#include "DiagnosticText.h"

#include "IM.Buddy.pb.h"
#include "IM.Server.pb.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace tttest
{

/// A frame as a short token, so sequences compare and print readably.
std::string describeFrame(const WireFrame& frame)
{
    const std::string ids = std::to_string(frame.serviceId) + "/" + hex4(frame.commandId);
    if (frame.commandId == 0x070e)
    {
        IM::Server::IMServerPCLoginStatusNotify notify;
        if (!frame.parse(notify))
            return ids + " unparsable";
        return ids + " " + std::to_string(notify.user_id()) + " login=" + std::to_string(notify.login_status());
    }
    if (frame.commandId == 0x0203)
    {
        IM::Buddy::IMUserStatNotify notify;
        if (!frame.parse(notify))
            return ids + " unparsable";
        return ids + " " + std::to_string(notify.user_stat().user_id()) + " status=" + std::to_string(notify.user_stat().status());
    }
    if (frame.commandId == 0x020b)
    {
        IM::Buddy::IMUsersStatRsp response;
        if (!frame.parse(response))
            return ids + " unparsable";
        std::string out = ids + " seq=" + std::to_string(frame.seqNum) + " user=" + std::to_string(response.user_id()) + " [";
        for (const auto& stat : response.user_stat_list())
            out += " " + std::to_string(stat.user_id()) + "=" + std::to_string(stat.status());
        out += " ]";
        if (response.has_attach_data())
            out += " attach=" + response.attach_data();
        return out;
    }
    return ids + " " + std::to_string(frame.length) + " bytes";
}

/// The token of one frame given as bytes.
std::string describeBytes(const std::string& bytes)
{
    std::string copy = bytes;
    const auto frames = takeFrames(copy);
    if (frames.size() != 1 || !copy.empty())
        throw std::logic_error("not exactly one frame");
    return describeFrame(frames[0]);
}

std::string loginNotify(std::uint32_t userId, std::uint32_t loginStatus)
{
    return "7/070e " + std::to_string(userId) + " login=" + std::to_string(loginStatus);
}

std::string buddyNotify(std::uint32_t userId, std::uint32_t status)
{
    return "2/0203 " + std::to_string(userId) + " status=" + std::to_string(status);
}

std::string joined(const std::vector<std::string>& tokens)
{
    std::string out;
    for (const auto& token : tokens)
        out += (out.empty() ? "" : ", ") + token;
    return out;
}

/// The frames `peer` received as tokens (see describeFrame).
std::vector<std::string> tokens(const RecordingPeer& peer)
{
    std::vector<std::string> out;
    for (const auto& frame : peer.frames())
        out.push_back(describeFrame(frame));
    return out;
}

/// The frames `peer` received as joined tokens.
std::string described(const RecordingPeer& peer)
{
    return joined(tokens(peer));
}

std::string describedByUser(const RecordingPeer& peer)
{
    std::vector<std::pair<std::uint32_t, std::string>> byUser;
    for (const auto& frame : peer.frames())
    {
        std::uint32_t user = 0;
        IM::Server::IMServerPCLoginStatusNotify login;
        IM::Buddy::IMUserStatNotify buddy;
        if (frame.commandId == 0x070e && frame.parse(login))
            user = login.user_id();
        else if (frame.commandId == 0x0203 && frame.parse(buddy))
            user = buddy.user_stat().user_id();
        byUser.emplace_back(user, describeFrame(frame));
    }
    std::stable_sort(byUser.begin(), byUser.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<std::string> ordered;
    for (auto& [user, token] : byUser)
        ordered.push_back(std::move(token));
    return joined(ordered);
}

} // namespace tttest
