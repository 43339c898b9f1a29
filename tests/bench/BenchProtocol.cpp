#include "BenchProtocol.h"

#include "BenchSocket.h"
#include "StampFields.h"

#include "IM.Buddy.pb.h"
#include "IM.Message.pb.h"
#include "IM.Server.pb.h"

#include <chrono>
#include <stdexcept>

namespace ttbench
{
namespace
{

/// Marks where the stamp goes while the template is built.
constexpr char kMarker[] = "TTBENCH-STAMP-GOES-HERE!";
constexpr std::size_t kStampBytes = 24; ///< u32 sender, u64 seq, i64 time, u32 check
static_assert(sizeof kMarker - 1 == kStampBytes, "the marker covers the stamp exactly");

/// The check word of a MSG_DATA stamp.
std::uint32_t stampCheck(std::uint32_t sender, std::uint64_t seq, std::int64_t sentNs)
{
    return stampCheckWord(seq, static_cast<std::uint64_t>(sentNs) + sender);
}

std::string serialized(std::uint32_t fromUser, std::uint32_t toUser, std::size_t padding)
{
    IM::Message::IMMsgData data;
    data.set_from_user_id(fromUser);
    data.set_to_session_id(toUser);
    data.set_msg_id(1);
    data.set_create_time(1700000000);
    data.set_msg_type(IM::BaseDefine::MSG_TYPE_SINGLE_TEXT);
    data.set_msg_data(std::string(kMarker) + std::string(padding, 'x'));
    return data.SerializeAsString();
}

} // namespace

std::string frame(std::uint16_t serviceId, std::uint16_t commandId, std::uint16_t seqNum, const std::string& body)
{
    std::string out(16, '\0');
    const auto length = static_cast<std::uint32_t>(16 + body.size());
    const std::uint16_t fields[] = {1, 0, serviceId, commandId, seqNum, 0};
    for (int i = 0; i < 4; ++i)
        out[static_cast<std::size_t>(i)] = static_cast<char>(length >> (24 - 8 * i));
    for (int i = 0; i < 6; ++i)
    {
        out[static_cast<std::size_t>(4 + 2 * i)] = static_cast<char>(fields[i] >> 8);
        out[static_cast<std::size_t>(5 + 2 * i)] = static_cast<char>(fields[i]);
    }
    return out + body;
}

MsgDataTemplate::MsgDataTemplate(std::uint32_t fromUser, std::uint32_t toUser, std::size_t bodyBytes)
{
    const std::size_t bare = serialized(fromUser, toUser, 0).size();
    if (bodyBytes < bare)
        throw std::invalid_argument("a MSG_DATA body cannot be smaller than " + std::to_string(bare) + " bytes");
    // The msg_data length prefix may take a byte more once the padding grows: try one less.
    std::string body = serialized(fromUser, toUser, bodyBytes - bare);
    if (body.size() != bodyBytes)
        body = serialized(fromUser, toUser, bodyBytes - bare - 1);
    if (body.size() != bodyBytes)
        throw std::invalid_argument("cannot make a MSG_DATA body of exactly " + std::to_string(bodyBytes) + " bytes");
    frame_ = frame(3, kMsgDataCommand, 0, body);
    stampOffset_ = frame_.find(kMarker);
}

void MsgDataTemplate::appendTo(std::string& out, std::uint32_t sender, std::uint64_t seq, std::int64_t sentNs) const
{
    const std::size_t at = out.size();
    out += frame_;
    char* stamp = &out[at + stampOffset_];
    putStampField(stamp, sender);
    putStampField(stamp + 4, seq);
    putStampField(stamp + 12, sentNs);
    putStampField(stamp + 20, stampCheck(sender, seq, sentNs));
}

MsgDataStamp MsgDataTemplate::stampOf(const char* frame) const
{
    const char* stamp = frame + stampOffset_;
    MsgDataStamp read{getStampField<std::uint32_t>(stamp), getStampField<std::uint64_t>(stamp + 4), getStampField<std::int64_t>(stamp + 12), false};
    read.intact = getStampField<std::uint32_t>(stamp + 20) == stampCheck(read.sender, read.seq, read.sentNs);
    return read;
}

std::string onlineUserInfo(const std::vector<std::uint32_t>& users, bool mobile)
{
    constexpr std::size_t kPerFrame = 50000; // about 500 KB a frame, far below max_pdu_bytes
    std::string out;
    for (std::size_t begin = 0; begin < users.size(); begin += kPerFrame)
    {
        IM::Server::IMOnlineUserInfo info;
        for (std::size_t i = begin; i < std::min(users.size(), begin + kPerFrame); ++i)
        {
            auto* stat = info.add_user_stat_list();
            stat->set_user_id(users[i]);
            stat->set_status(IM::BaseDefine::USER_STATUS_ONLINE);
            stat->set_client_type(mobile ? IM::BaseDefine::CLIENT_TYPE_ANDROID : IM::BaseDefine::CLIENT_TYPE_WINDOWS);
        }
        out += frame(7, kOnlineUserInfoCommand, 0, info.SerializeAsString());
    }
    return out;
}

std::string statusUpdate(std::uint32_t user, bool online, bool mobile)
{
    IM::Server::IMUserStatusUpdate update;
    update.set_user_status(online ? IM::BaseDefine::USER_STATUS_ONLINE : IM::BaseDefine::USER_STATUS_OFFLINE);
    update.set_user_id(user);
    update.set_client_type(mobile ? IM::BaseDefine::CLIENT_TYPE_ANDROID : IM::BaseDefine::CLIENT_TYPE_WINDOWS);
    return frame(7, 0x070a, 0, update.SerializeAsString());
}

std::string statusRequest(std::uint16_t seqNum, const std::vector<std::uint32_t>& ids)
{
    IM::Buddy::IMUsersStatReq request;
    request.set_user_id(1);
    for (std::uint32_t id : ids)
        request.add_user_id_list(id);
    return frame(2, 0x020a, seqNum, request.SerializeAsString());
}

void registerUsers(BenchSocket& socket, const std::vector<std::uint32_t>& users)
{
    if (!users.empty())
        socket.sendAll(onlineUserInfo(users));
    roundTrip(socket);
}

void roundTrip(BenchSocket& socket)
{
    constexpr std::uint16_t kSeq = 0xFFFE;
    socket.sendAll(statusRequest(kSeq, {}));
    FrameStream stream;
    awaitStatusAnswer(socket, stream, kSeq, std::chrono::steady_clock::now() + std::chrono::seconds(30));
}

void awaitStatusAnswer(BenchSocket& socket, FrameStream& stream, std::uint16_t seq, std::chrono::steady_clock::time_point deadline)
{
    bool answered = false;
    while (!answered)
    {
        if (std::chrono::steady_clock::now() > deadline)
            throw std::runtime_error("no answer to a status query within 30 s");
        stream.readFrom(socket, 100, [&](const char* data, std::uint32_t) {
            answered = answered || (readU16(data + 10) == kStatusResponseCommand && readU16(data + 12) == seq);
        });
    }
}

} // namespace ttbench
