// Writes the seed corpus of the router fuzz target (tests/fuzz/corpus/), in the script
// format of FuzzScript.h:
//   ttroute_fuzz_corpus DIR           writes every seed into DIR (created if needed)
//   ttroute_fuzz_corpus --check DIR   fails unless DIR holds every seed, byte for byte
// One seed per command of protocol.md §2 (a valid frame, built with the generated IM::*
// classes and the tests' own frame builders (tests/support/WireFrames and RelayedFrames),
// independently of the plugin's encoder), and a few scripts of several steps: logins on
// several msg servers, queries, relays, frames split across reads, broken framing, caps,
// connection loss and reconnection.
#include "FuzzScript.h"
#include "RelayedFrames.h"
#include "WireFrames.h"

#include "IM.BaseDefine.pb.h"
#include "IM.Buddy.pb.h"
#include "IM.File.pb.h"
#include "IM.Group.pb.h"
#include "IM.Message.pb.h"
#include "IM.Other.pb.h"
#include "IM.Server.pb.h"
#include "IM.SwitchService.pb.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace
{

namespace fs = std::filesystem;
using namespace IM::BaseDefine;
using tttest::groupChange;
using tttest::heartbeat;
using tttest::kickUser;
using tttest::msgData;
using tttest::onlineUserInfo;
using tttest::readNotify;
using tttest::removeSession;
using tttest::roleSet;
using tttest::statusRequest;
using tttest::statusUpdate;

/// The attach data the seeds' status queries carry.
const std::string kAttach = "ctx";

constexpr std::uint32_t kOnline = USER_STATUS_ONLINE;
constexpr std::uint32_t kOffline = USER_STATUS_OFFLINE;
constexpr std::uint32_t kLeave = USER_STATUS_LEAVE;

/// Appends `value` big-endian, as FuzzScript.h's step lengths are.
void putU16(std::string& out, std::uint16_t value)
{
    out.push_back(static_cast<char>(value >> 8));
    out.push_back(static_cast<char>(value));
}

/// A seed frame of `body`, which must have every required field.
std::string frame(std::uint16_t serviceId, std::uint16_t commandId, std::uint16_t seqNum,
                  const google::protobuf::MessageLite& body)
{
    if (!body.IsInitialized())
        throw std::logic_error("seed message misses required fields: " + body.GetTypeName());
    return tttest::makeFrame(serviceId, commandId, seqNum, body);
}

// Builders for the commands of protocol.md §2 that tests/support/WireFrames and RelayedFrames
// do not build, or not with the values the corpus has always held.

std::string loginStatusNotify(std::uint32_t userId, std::uint32_t loginStatus)
{
    IM::Server::IMServerPCLoginStatusNotify msg;
    msg.set_user_id(userId);
    msg.set_login_status(loginStatus);
    return frame(7, 0x070e, 0, msg);
}

std::string buddyStatusNotify(std::uint32_t userId, std::uint32_t status)
{
    IM::Buddy::IMUserStatNotify msg;
    msg.mutable_user_stat()->set_user_id(userId);
    msg.mutable_user_stat()->set_status(static_cast<UserStatType>(status));
    return frame(2, 0x0203, 0, msg);
}

std::string statusResponse(std::uint16_t seqNum, std::uint32_t requester, const std::vector<std::uint32_t>& ids)
{
    IM::Buddy::IMUsersStatRsp msg;
    msg.set_user_id(requester);
    for (std::uint32_t id : ids)
    {
        UserStat* stat = msg.add_user_stat_list();
        stat->set_user_id(id);
        stat->set_status(USER_STATUS_OFFLINE);
    }
    msg.set_attach_data("ctx");
    return frame(2, 0x020b, seqNum, msg);
}

std::string signInfoChanged(std::uint32_t userId, const std::string& sign)
{
    IM::Buddy::IMSignInfoChangedNotify msg;
    msg.set_changed_user_id(userId);
    msg.set_sign_info(sign);
    return frame(2, 0x0215, 0, msg);
}

/// FILE_NOTIFY: RelayedFrames' message, with the seed's own file name and size.
std::string fileNotify(std::uint32_t from, std::uint32_t to)
{
    IM::File::IMFileNotify msg = tttest::fileNotifyBody(from, to, 1);
    msg.set_file_name("notes.txt");
    msg.set_file_size(1234);
    return frame(5, 0x0508, 0, msg);
}

/// SWITCH_P2P_CMD: RelayedFrames' message, with a JSON command as clients send it.
std::string p2pCmd(std::uint32_t from, std::uint32_t to)
{
    IM::SwitchService::IMP2PCmdMsg msg = tttest::p2pBody(from, to, 0);
    msg.set_cmd_msg_data("{\"cmd\":\"shake\"}");
    return frame(6, 0x0601, 0, msg);
}

/// A fuzz input being written (FuzzScript.h).
class Script
{
public:
    explicit Script(unsigned peers)
    {
        if (peers < ttfuzz::kMinPeers || peers >= ttfuzz::kMinPeers + ttfuzz::kPeerChoices)
            throw std::logic_error("a script has 2..4 peers");
        bytes_.push_back(static_cast<char>(peers - ttfuzz::kMinPeers));
    }

    /// `data` arrives on `peer`'s connection (in several records when longer than one holds).
    Script& receive(unsigned peer, const std::string& data)
    {
        std::size_t at = 0;
        do
        {
            const std::size_t count = std::min<std::size_t>(data.size() - at, 0xFFFF);
            record(peer, ttfuzz::Op::Receive, data.substr(at, count));
            at += count;
        } while (at < data.size());
        return *this;
    }

    Script& connect(unsigned peer) { return record(peer, ttfuzz::Op::Connect, {}); }
    Script& disconnect(unsigned peer) { return record(peer, ttfuzz::Op::Disconnect, {}); }

    const std::string& bytes() const { return bytes_; }

private:
    Script& record(unsigned peer, ttfuzz::Op op, const std::string& data)
    {
        bytes_.push_back(static_cast<char>(peer));
        bytes_.push_back(static_cast<char>(op));
        putU16(bytes_, static_cast<std::uint16_t>(data.size()));
        bytes_ += data;
        return *this;
    }

    std::string bytes_;
};

/// Two peers; `frameBytes` arrive on the first.
std::string single(const std::string& frameBytes)
{
    return Script(2).receive(0, frameBytes).bytes();
}

std::vector<std::uint32_t> range(std::uint32_t first, std::uint32_t count)
{
    std::vector<std::uint32_t> out;
    for (std::uint32_t i = 0; i < count; ++i)
        out.push_back(first + i);
    return out;
}

std::vector<std::pair<std::string, std::string>> seeds()
{
    std::vector<std::pair<std::string, std::string>> out;

    // One valid frame of every command of protocol.md §2.
    out.emplace_back("cmd-0701-heartbeat", single(heartbeat()));
    out.emplace_back("cmd-0707-role-set", single(roleSet(true)));
    out.emplace_back("cmd-0708-online-user-info",
                     single(onlineUserInfo({{1001, kOnline, CLIENT_TYPE_WINDOWS}, {1002, kLeave, CLIENT_TYPE_IOS}})));
    out.emplace_back("cmd-070a-user-status-update", single(statusUpdate(1001, kOnline, CLIENT_TYPE_WINDOWS)));
    out.emplace_back("cmd-070e-login-status-notify", single(loginStatusNotify(1001, 1)));
    out.emplace_back("cmd-070d-kick-user", single(kickUser(1001, CLIENT_TYPE_WINDOWS, 1)));
    out.emplace_back("cmd-0203-buddy-status-notify", single(buddyStatusNotify(1001, kOnline)));
    out.emplace_back("cmd-020a-users-status-request", single(statusRequest(7, 1001, {1001, 1002, 1001}, &kAttach)));
    out.emplace_back("cmd-020b-users-status-response", single(statusResponse(7, 1001, {1001, 1002})));
    out.emplace_back("cmd-020f-remove-session", single(removeSession(1001, 1002)));
    out.emplace_back("cmd-0215-sign-info-changed", single(signInfoChanged(1001, "out to lunch")));
    out.emplace_back("cmd-0301-msg-data", single(msgData(1001, 2001, 1, "hello")));
    out.emplace_back("cmd-0304-msg-read-notify", single(readNotify(1001, 2001, 1)));
    out.emplace_back("cmd-040b-group-change-member", single(groupChange(1001, 5001, 1002)));
    out.emplace_back("cmd-0508-file-notify", single(fileNotify(1001, 2001)));
    out.emplace_back("cmd-0601-p2p-cmd", single(p2pCmd(1001, 2001)));

    // Two msg servers: logins, a query, relays both ways, a lost connection, a reconnect.
    out.emplace_back(
        "script-login-query-relay",
        Script(2)
            .receive(0, roleSet(true) + onlineUserInfo({{1001, kOnline, CLIENT_TYPE_WINDOWS}, {1002, kOnline, CLIENT_TYPE_ANDROID}}))
            .receive(1, onlineUserInfo({{2001, kOnline, CLIENT_TYPE_MAC}}) + statusUpdate(2002, kOnline, CLIENT_TYPE_WINDOWS))
            .receive(0, statusRequest(7, 1001, {1001, 1002, 2001, 2002, 9999}, &kAttach))
            .receive(0, msgData(1001, 2001, 1, "hi") + p2pCmd(1001, 2001))
            .receive(1, msgData(2001, 1001, 2, "hi back") + readNotify(1001, 2001, 1))
            .disconnect(1)
            .receive(0, statusRequest(8, 1001, {2001, 2002}))
            .connect(1)
            .receive(1, roleSet(false) + onlineUserInfo({{2001, kOnline, CLIENT_TYPE_MAC}}))
            .receive(0, statusUpdate(1001, kOffline, CLIENT_TYPE_WINDOWS) + heartbeat())
            .bytes());

    // One user on three msg servers with PC and mobile clients: multi-PC logout, loss announcements.
    out.emplace_back("script-multi-pc",
                     Script(3)
                         .receive(0, statusUpdate(3001, kOnline, CLIENT_TYPE_WINDOWS))
                         .receive(1, statusUpdate(3001, kOnline, CLIENT_TYPE_MAC))
                         .receive(2, statusUpdate(3001, kLeave, CLIENT_TYPE_ANDROID) + statusUpdate(3002, kOnline, CLIENT_TYPE_IOS))
                         .receive(0, statusUpdate(3001, kOffline, CLIENT_TYPE_WINDOWS) + statusUpdate(3001, kOffline, CLIENT_TYPE_WINDOWS))
                         .receive(2, statusRequest(1, 3002, {3001, 3002}))
                         .disconnect(1)
                         .receive(2, statusRequest(2, 3002, {3001, 3002}))
                         .disconnect(2)
                         .bytes());

    // Frames split across reads: a partial header, a partial body, two and a half frames at once.
    {
        const std::string a = msgData(1001, 2001, 1, "split across three reads");
        const std::string b = signInfoChanged(1001, "x");
        const std::string c = statusUpdate(1001, kOnline, CLIENT_TYPE_WINDOWS);
        const std::string stream = b + c + a;
        out.emplace_back("script-split-frames", Script(2)
                                                    .receive(0, a.substr(0, 5))
                                                    .receive(0, a.substr(5, 20))
                                                    .receive(0, a.substr(25))
                                                    .receive(1, stream.substr(0, b.size() + c.size() + 10))
                                                    .receive(1, stream.substr(b.size() + c.size() + 10))
                                                    .bytes());
    }

    // Broken framing ends only that connection, after routing the frames before it; then reconnects.
    out.emplace_back("script-bad-length",
                     Script(2)
                         .receive(0, statusUpdate(1001, kOnline, CLIENT_TYPE_WINDOWS) + heartbeat() + tttest::makeRawFrame(7, 0x0701, 0, "", 8))
                         .receive(1, statusRequest(1, 2001, {1001}))
                         .connect(0)
                         .receive(0, statusUpdate(1001, kOnline, CLIENT_TYPE_MAC))
                         .receive(1, msgData(2001, 1001, 3, "x") + tttest::makeRawFrame(3, 0x0301, 0, "", 0x00100000))
                         .connect(1)
                         .receive(1, statusRequest(2, 2001, {1001}))
                         .bytes());

    // A frame several times the read size, so the decoder grows its buffer and shrinks it back.
    out.emplace_back("script-large-frame",
                     Script(2)
                         .receive(0, msgData(1001, 2001, 9, std::string(2500, 'z')) + heartbeat())
                         .receive(0, heartbeat())
                         .bytes());

    // The caps: a query over max_status_query_ids, an ONLINE_USER_INFO over max_online_user_info_entries.
    {
        std::vector<std::vector<std::uint32_t>> many;
        for (std::uint32_t id : range(4001, ttfuzz::kMaxOnlineUserInfoEntries + 6))
            many.push_back({id, kOnline, CLIENT_TYPE_WINDOWS});
        out.emplace_back("script-caps", Script(2)
                                            .receive(0, onlineUserInfo({{4001, kOnline, CLIENT_TYPE_WINDOWS}}))
                                            .receive(1, onlineUserInfo(many))
                                            .receive(1, statusRequest(3, 4001, range(4000, ttfuzz::kMaxStatusQueryIds + 8)))
                                            .bytes());
    }

    // Four msg servers: relayed runs to others and to everyone, interleaved with presence changes.
    out.emplace_back("script-four-peers",
                     Script(4)
                         .receive(2, statusUpdate(5001, kOnline, CLIENT_TYPE_WINDOWS) + signInfoChanged(5001, "here") +
                                         groupChange(5001, 6001, 5002) + fileNotify(5001, 5002) +
                                         statusUpdate(5002, kOnline, CLIENT_TYPE_IOS) + kickUser(5002, CLIENT_TYPE_WINDOWS, 1) + removeSession(5001, 5002))
                         .receive(3, msgData(5002, 6001, 4, "group hello", MSG_TYPE_GROUP_TEXT) + statusRequest(4, 5002, {5001, 5002}) +
                                         msgData(5002, 5001, 5, "hi"))
                         .disconnect(2)
                         .receive(0, heartbeat())
                         .bytes());

    // Bodies that do not parse, or say what cannot be: dropped, the connection stays.
    out.emplace_back("script-bad-bodies",
                     Script(2)
                         .receive(0, statusUpdate(1001, 7, CLIENT_TYPE_WINDOWS))
                         .receive(0, tttest::makeRawFrame(7, 0x0707, 0, "\xff\xff\xff") + tttest::makeRawFrame(7, 0x070a, 0, "\x08"))
                         .receive(0, tttest::makeRawFrame(2, 0x020a, 9, "\x10\x81") + tttest::makeRawFrame(2, 0x020a, 10, std::string("\x12\x02\x01\x02", 4)))
                         .receive(0, tttest::makeRawFrame(7, 0x0708, 0, "\x0a\x05\x08\x01") + tttest::makeRawFrame(9, 0x0999, 0, "unknown"))
                         .receive(1, statusRequest(11, 2001, {1001}))
                         .bytes());

    // A msg server reconnecting before its loss was noticed: the old connection goes, the new one re-sends.
    out.emplace_back("script-reconnect",
                     Script(2)
                         .receive(0, onlineUserInfo({{1001, kOnline, CLIENT_TYPE_WINDOWS}, {1002, kOnline, CLIENT_TYPE_IOS}}))
                         .connect(0)
                         .receive(0, onlineUserInfo({{1001, kOnline, CLIENT_TYPE_WINDOWS}}))
                         .receive(1, statusRequest(5, 2001, {1001, 1002}))
                         .bytes());
    return out;
}

bool write(const fs::path& dir)
{
    fs::create_directories(dir);
    for (const auto& [name, bytes] : seeds())
    {
        std::ofstream file(dir / name, std::ios::binary | std::ios::trunc);
        file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        if (!file)
        {
            std::fprintf(stderr, "cannot write %s\n", (dir / name).c_str());
            return false;
        }
    }
    return true;
}

bool check(const fs::path& dir)
{
    bool good = true;
    for (const auto& [name, bytes] : seeds())
    {
        std::ifstream file(dir / name, std::ios::binary);
        const std::string held{std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
        if (!file.is_open() || held != bytes)
        {
            std::fprintf(stderr, "%s: %s; run ttroute_fuzz_corpus %s\n", (dir / name).c_str(),
                         file.is_open() ? "differs from what the generator writes" : "missing", dir.c_str());
            good = false;
        }
    }
    return good;
}

} // namespace

int main(int argc, char** argv)
{
    GOOGLE_PROTOBUF_VERIFY_VERSION;
    const std::string first = argc > 1 ? argv[1] : "";
    if (argc == 2 && first != "--check")
        return write(argv[1]) ? 0 : 1;
    if (argc == 3 && first == "--check")
    {
        if (!check(argv[2]))
            return 1;
        std::printf("%zu seeds up to date in %s\n", seeds().size(), argv[2]);
        return 0;
    }
    std::fprintf(stderr, "usage: %s DIR | --check DIR\n", argv[0]);
    return 2;
}
