#include "TargetedCommands.h"

#include "ProtocolConstants.h"
#include "RelayedFrames.h"
#include "WireFrames.h"

#include <stdexcept>

using namespace tttest::protocol;

namespace targetedtest
{

IM::Message::IMMsgData msgDataBody(std::uint32_t from, std::uint32_t to, std::uint32_t n)
{
    IM::Message::IMMsgData data;
    data.set_from_user_id(from);
    data.set_to_session_id(to);
    data.set_msg_id(n);
    data.set_create_time(1700000000 + n);
    data.set_msg_type(IM::BaseDefine::MSG_TYPE_SINGLE_TEXT);
    data.set_msg_data("message " + std::to_string(n));
    return data;
}

std::string msgData(std::uint32_t from, std::uint32_t to, std::uint32_t n, std::uint32_t msgType, std::uint16_t seq)
{
    auto data = msgDataBody(from, to, n);
    data.set_msg_type(static_cast<IM::BaseDefine::MsgType>(msgType));
    return tttest::makeFrame(3, kMsgData, seq, data);
}

const std::vector<TargetedCommand>& targetedCommands()
{
    using tttest::fileNotify;
    using tttest::kickUser;
    using tttest::p2p;
    using tttest::readNotify;
    using tttest::removeSession;
    static const std::vector<TargetedCommand> commands = {
        {kMsgData, "MSG_DATA single text", [](std::uint32_t t, std::uint32_t o, std::uint32_t n) { return msgData(o, t, n, 0x01); }, true},
        {kMsgData, "MSG_DATA single audio", [](std::uint32_t t, std::uint32_t o, std::uint32_t n) { return msgData(o, t, n, 0x02); }, true},
        {kSwitchP2PCmd, "SWITCH_P2P_CMD", [](std::uint32_t t, std::uint32_t o, std::uint32_t n) { return p2p(o, t, n); }, true},
        {kFileNotify, "FILE_NOTIFY", [](std::uint32_t t, std::uint32_t o, std::uint32_t n) { return fileNotify(o, t, n); }, false},
        {kMsgReadNotify, "MSG_READ_NOTIFY", [](std::uint32_t t, std::uint32_t o, std::uint32_t n) { return readNotify(t, o, n); }, false},
        {kServerKickUser, "OTHER_SERVER_KICK_USER",
         [](std::uint32_t t, std::uint32_t o, std::uint32_t n) { return kickUser(t, kWindows, o, static_cast<std::uint16_t>(n)); }, false},
        {kRemoveSessionNotify, "BUDDY_LIST_REMOVE_SESSION_NOTIFY",
         [](std::uint32_t t, std::uint32_t o, std::uint32_t n) { return removeSession(t, o, static_cast<std::uint16_t>(n)); }, false},
    };
    return commands;
}

const TargetedCommand& commandNamed(const std::string& name)
{
    for (const auto& command : targetedCommands())
        if (command.name == name)
            return command;
    throw std::logic_error("no command " + name);
}

} // namespace targetedtest
