#include "WireFrames.h"

#include "IM.BaseDefine.pb.h"
#include "IM.Buddy.pb.h"
#include "IM.Message.pb.h"
#include "IM.Other.pb.h"
#include "IM.Server.pb.h"

namespace tttest
{
namespace
{

void putU16(std::string& out, std::uint16_t value)
{
    out.push_back(static_cast<char>(value >> 8));
    out.push_back(static_cast<char>(value));
}

void putU32(std::string& out, std::uint32_t value)
{
    putU16(out, static_cast<std::uint16_t>(value >> 16));
    putU16(out, static_cast<std::uint16_t>(value));
}

std::uint32_t getU(const std::string& bytes, std::size_t at, int size)
{
    std::uint32_t value = 0;
    for (int i = 0; i < size; ++i)
        value = (value << 8) | static_cast<unsigned char>(bytes[at + i]);
    return value;
}

} // namespace

std::string makeRawFrame(std::uint16_t serviceId, std::uint16_t commandId, std::uint16_t seqNum, const std::string& body,
                         std::int64_t length)
{
    std::string frame;
    putU32(frame, static_cast<std::uint32_t>(length < 0 ? static_cast<std::int64_t>(body.size() + 16) : length));
    putU16(frame, 1);
    putU16(frame, 0);
    putU16(frame, serviceId);
    putU16(frame, commandId);
    putU16(frame, seqNum);
    putU16(frame, 0);
    return frame + body;
}

std::string makeFrame(std::uint16_t serviceId, std::uint16_t commandId, std::uint16_t seqNum,
                      const google::protobuf::MessageLite& body)
{
    return makeRawFrame(serviceId, commandId, seqNum, body.SerializeAsString());
}

std::vector<WireFrame> takeFrames(std::string& buffer)
{
    std::vector<WireFrame> frames;
    std::size_t at = 0;
    while (buffer.size() - at >= 16)
    {
        const std::uint32_t length = getU(buffer, at, 4);
        if (length < 16 || buffer.size() - at < length)
            break;
        WireFrame frame;
        frame.length = length;
        frame.serviceId = static_cast<std::uint16_t>(getU(buffer, at + 8, 2));
        frame.commandId = static_cast<std::uint16_t>(getU(buffer, at + 10, 2));
        frame.seqNum = static_cast<std::uint16_t>(getU(buffer, at + 12, 2));
        frame.bytes = buffer.substr(at, length);
        frames.push_back(std::move(frame));
        at += length;
    }
    buffer.erase(0, at);
    return frames;
}

std::string withVarintField(std::string body, std::uint32_t number, std::uint64_t value)
{
    body += static_cast<char>(number << 3);
    do
    {
        body += static_cast<char>((value & 0x7F) | (value >= 0x80 ? 0x80 : 0));
        value >>= 7;
    } while (value);
    return body;
}

std::string patternedBytes(std::size_t size, unsigned seed)
{
    std::string bytes(size, '\0');
    for (std::size_t i = 0; i < size; ++i)
        bytes[i] = static_cast<char>((i * 131 + seed + (i >> 8)) & 0xFF);
    return bytes;
}

std::string statusUpdate(std::uint32_t userId, std::uint32_t status, std::uint32_t clientType)
{
    IM::Server::IMUserStatusUpdate update;
    update.set_user_id(userId);
    update.set_user_status(status);
    update.set_client_type(static_cast<IM::BaseDefine::ClientType>(clientType));
    return makeFrame(7, 0x070a, 0, update);
}

std::string onlineUserInfo(const std::vector<std::vector<std::uint32_t>>& entries)
{
    IM::Server::IMOnlineUserInfo info;
    for (const auto& entry : entries)
    {
        auto* stat = info.add_user_stat_list();
        stat->set_user_id(entry.at(0));
        stat->set_status(static_cast<IM::BaseDefine::UserStatType>(entry.at(1)));
        stat->set_client_type(static_cast<IM::BaseDefine::ClientType>(entry.at(2)));
    }
    return makeFrame(7, 0x0708, 0, info);
}

std::string statusRequest(std::uint16_t seqNum, std::uint32_t requester, const std::vector<std::uint32_t>& ids,
                          const std::string* attachData)
{
    IM::Buddy::IMUsersStatReq request;
    request.set_user_id(requester);
    for (std::uint32_t id : ids)
        request.add_user_id_list(id);
    if (attachData)
        request.set_attach_data(*attachData);
    return makeFrame(2, 0x020a, seqNum, request);
}

std::string roleSet(bool master)
{
    IM::Server::IMRoleSet role;
    role.set_master(master ? 1 : 0);
    return makeFrame(7, 0x0707, 0, role);
}

std::string heartbeat()
{
    return makeFrame(7, 0x0701, 0, IM::Other::IMHeartBeat());
}

std::string msgData(std::uint32_t from, std::uint32_t to, std::uint32_t msgId, const std::string& payload, std::uint32_t msgType)
{
    IM::Message::IMMsgData data;
    data.set_from_user_id(from);
    data.set_to_session_id(to);
    data.set_msg_id(msgId);
    data.set_create_time(1700000000);
    data.set_msg_type(static_cast<IM::BaseDefine::MsgType>(msgType));
    data.set_msg_data(payload);
    return makeFrame(3, 0x0301, 0, data);
}

} // namespace tttest
