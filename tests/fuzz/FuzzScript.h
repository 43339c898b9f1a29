#pragma once

// The input format of the router fuzz target, shared by the harness (FuzzRouter.cpp) and the
// seed corpus generator (SeedCorpus.cpp).
//
// An input is a small script that drives a few fake msg servers:
//
//   byte 0             number of peers: 2 + byte % 3, so 2..4; all of them start connected;
//                      route.announce_via_master on when (byte / 3) is odd
//   then records of    [peer byte][op byte][length: 2 bytes, big-endian][length bytes]
//     peer byte        which peer: byte % number of peers
//     op byte          what happens to it: byte % 3, see Op
//     length, bytes    the data of a Receive; ignored (and usually 0) for the other ops
//
// A record cut short by the end of the input keeps what there is of its bytes.

#include <cstddef>
#include <cstdint>

namespace ttfuzz
{

/// What a record does to its peer.
enum class Op : std::uint8_t
{
    Receive = 0,    ///< the bytes arrive on the peer's connection: decoded and routed
    Connect = 1,    ///< the peer (re)connects: a new connection, a new id, a fresh decoder
    Disconnect = 2, ///< the peer's connection is lost (detach with announcements)
};

/// Number of ops; an op byte is taken modulo this.
constexpr unsigned kOpCount = 3;

/// Peers of a script: 2 + first byte % kPeerChoices.
constexpr unsigned kMinPeers = 2;
constexpr unsigned kPeerChoices = 3;

/// Size of a record's head: peer, op, two length bytes.
constexpr std::size_t kRecordHeadSize = 4;

/// max_pdu_bytes of the fuzzed router: a longer frame ends its connection.
constexpr std::size_t kMaxFrameBytes = 64 * 1024;

/// Each decoder's normal read size. Far below the product's 256 KiB, so frames outgrow the
/// buffer and one record's bytes arrive as several reads.
constexpr std::size_t kReadChunk = 1024;

/// max_status_query_ids and max_online_user_info_entries of the fuzzed router, small so the
/// caps are reached by small inputs.
constexpr std::size_t kMaxStatusQueryIds = 32;
constexpr std::size_t kMaxOnlineUserInfoEntries = 64;

} // namespace ttfuzz
