#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ttbench
{

class BenchSocket;
class FrameStream;

/// Command ids the load generator sends or looks for (protocol.md §2).
constexpr std::uint16_t kMsgDataCommand = 0x0301;
constexpr std::uint16_t kStatusResponseCommand = 0x020b;
constexpr std::uint16_t kBuddyStatusNotifyCommand = 0x0203;
constexpr std::uint16_t kOnlineUserInfoCommand = 0x0708;

/// User ids of the fake msg servers' users: receivers host kReceiverUserBase + i, senders
/// kSenderUserBase + i.
constexpr std::uint32_t kReceiverUserBase = 1000000;
constexpr std::uint32_t kSenderUserBase = 1500000;

/// What a MSG_DATA of the load generator carries in its msg_data.
struct MsgDataStamp
{
    std::uint32_t sender = 0; ///< index of the sending fake msg server
    std::uint64_t seq = 0;    ///< per sender, from 0
    std::int64_t sentNs = 0;  ///< steady clock at sending
    bool intact = false;      ///< the stamp's check word matches the rest of it
};

/// A MSG_DATA frame of an exact body size from one user to another, serialised once; each
/// PDU is a copy with its stamp written into msg_data at a known offset.
class MsgDataTemplate
{
public:
    /// A frame from `fromUser` to `toUser` whose protobuf body is exactly `bodyBytes` long.
    MsgDataTemplate(std::uint32_t fromUser, std::uint32_t toUser, std::size_t bodyBytes);

    /// Appends one PDU carrying `sender`, `seq` and `sentNs` to `out`.
    void appendTo(std::string& out, std::uint32_t sender, std::uint64_t seq, std::int64_t sentNs) const;

    /// The stamp of a PDU made by a template with the same layout (user ids of the same
    /// encoded size, the same body size), as all of the generator's are.
    MsgDataStamp stampOf(const char* frame) const;

private:
    std::string frame_;
    std::size_t stampOffset_; ///< where msg_data's stamp starts in the frame
};

/// Builds a frame with `body` (already serialised).
std::string frame(std::uint16_t serviceId, std::uint16_t commandId, std::uint16_t seqNum, const std::string& body);

/// ONLINE_USER_INFO of `users` (ONLINE, on Windows, or on Android when `mobile`), in as
/// many frames as needed to stay small.
std::string onlineUserInfo(const std::vector<std::uint32_t>& users, bool mobile = false);

/// A USER_STATUS_UPDATE: `user` logs in (online) or off on a Windows client, or on an
/// Android one when `mobile`.
std::string statusUpdate(std::uint32_t user, bool online, bool mobile = false);

/// A USERS_STATUS_REQUEST asking about `ids`.
std::string statusRequest(std::uint16_t seqNum, const std::vector<std::uint32_t>& ids);

/// Sends ONLINE_USER_INFO for `users` on `socket`, then waits for the answer to a status
/// query: from then on the server knows the users and routes for the connection.
void registerUsers(BenchSocket& socket, const std::vector<std::uint32_t>& users);

/// Sends a status query and waits for its answer (and discards anything before it). Reads
/// with a FrameStream of its own, so only for a socket's first read or its last.
void roundTrip(BenchSocket& socket);

/// Reads `socket` through `stream` until the answer to the status query `seq`, discarding
/// what comes before it; throws when `deadline` (at most 30 s away) passes first.
void awaitStatusAnswer(BenchSocket& socket, FrameStream& stream, std::uint16_t seq, std::chrono::steady_clock::time_point deadline);

} // namespace ttbench
