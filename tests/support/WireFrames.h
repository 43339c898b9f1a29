#pragma once

#include <google/protobuf/message_lite.h>

#include <cstdint>
#include <string>
#include <vector>

namespace tttest
{

/// One PDU as a test sees it: the header fields and the exact bytes.
struct WireFrame
{
    std::uint32_t length = 0;
    std::uint16_t serviceId = 0;
    std::uint16_t commandId = 0;
    std::uint16_t seqNum = 0;
    std::string bytes; ///< the whole PDU, header included

    /// The body after the 16-byte header.
    std::string body() const { return bytes.substr(16); }

    /// Parses the body into `message`; false when it does not parse.
    bool parse(google::protobuf::MessageLite& message) const { return message.ParseFromString(body()); }
};

/// A PDU with `body` serialised, built independently of the plugin's own encoder.
std::string makeFrame(std::uint16_t serviceId, std::uint16_t commandId, std::uint16_t seqNum,
                      const google::protobuf::MessageLite& body);

/// A PDU with raw `body` bytes and a length field of `length` (default: the true length).
std::string makeRawFrame(std::uint16_t serviceId, std::uint16_t commandId, std::uint16_t seqNum, const std::string& body,
                         std::int64_t length = -1);

/// Splits whole frames off the front of `buffer`, leaving a partial one there.
std::vector<WireFrame> takeFrames(std::string& buffer);

/// `body` (a serialised message) with a varint field `number` = `value` appended, encoded by
/// hand: for enum values and fields the generated setters refuse. `number` must be below 16
/// (the key then fits one byte).
std::string withVarintField(std::string body, std::uint32_t number, std::uint64_t value);

/// `size` bytes that differ along their length (seeded by `seed`), so a shifted or truncated
/// copy of a payload is noticed.
std::string patternedBytes(std::size_t size, unsigned seed);

// Builders for the messages of protocol.md §3 that tests send most.

/// USER_STATUS_UPDATE for one login or logout.
std::string statusUpdate(std::uint32_t userId, std::uint32_t status, std::uint32_t clientType);

/// ONLINE_USER_INFO listing (user, status, client type) triples.
std::string onlineUserInfo(const std::vector<std::vector<std::uint32_t>>& entries);

/// USERS_STATUS_REQUEST from `requester` about `ids`, with optional attach data.
std::string statusRequest(std::uint16_t seqNum, std::uint32_t requester, const std::vector<std::uint32_t>& ids,
                          const std::string* attachData = nullptr);

/// ROLE_SET.
std::string roleSet(bool master);

/// HEARTBEAT.
std::string heartbeat();

/// MSG_DATA from `from` to `to` with `payload` as msg_data.
std::string msgData(std::uint32_t from, std::uint32_t to, std::uint32_t msgId, const std::string& payload,
                    std::uint32_t msgType = 1);

} // namespace tttest
