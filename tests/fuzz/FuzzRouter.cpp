// libFuzzer target: arbitrary byte streams through FrameDecoder and Router, with 2..4 fake msg
// servers attached. The input is a script (see FuzzScript.h): bytes arriving on a peer's
// connection, peers connecting and going away. Each peer's bytes go through its own decoder
// and are routed exactly as RouteConnection::serve does it. Besides the sanitizers, the fake
// peers check what the router promises them:
//   - every delivered batch is whole frames, as many as it claims (each byte is read, so a
//     batch over freed or foreign memory trips AddressSanitizer);
//   - each frame reaches only whom protocol.md §5-§7 sends it to: nothing relayed goes back
//     to its sender, answers go to the asker only, a detach sends notifications only;
//   - a peer being detached, or already gone, gets nothing more;
//   - once every peer is gone, presence is empty (protocol.md §4: a connection's loss removes
//     everything it contributed);
//   - the decoder always offers room to read into (a 0-byte read would look like EOF).
// A violation prints why and aborts, which libFuzzer reports as a crash.
//
// The same file is linked into ttroute_fuzz_replay (FuzzReplay.cpp), a plain executable that
// replays the seed corpus and the regressions in every ctest run.
//
// One file of over 400 lines on purpose: it is the whole harness, which the libFuzzer build
// and the replay each compile, and a crash is read against all of it at once: the script that
// drove it, the session that routed it, the peer that objected. The peers are the oracle, and
// their table of who may receive what (isRelayedToOthers, checkDestination) is written here
// from protocol.md, deliberately apart from the Router's own (plugin/routing/Router.cpp): a
// mistake in either shows as a disagreement instead of being shared.
#include "FuzzScript.h"

#include "config/LiveSettings.h"
#include "config/RouteSettings.h"
#include "presence/PresenceRegistry.h"
#include "routing/FrameBatch.h"
#include "routing/PeerDirectory.h"
#include "routing/PeerLink.h"
#include "routing/RouteCounters.h"
#include "routing/Router.h"
#include "wire/Frame.h"
#include "wire/FrameDecoder.h"
#include "wire/FrameError.h"
#include "wire/ProtocolIds.h"

#include <Poco/AutoPtr.h>
#include <Poco/Logger.h>
#include <Poco/Message.h>
#include <Poco/NullChannel.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace
{

using ttroute::ConnectionId;
using ttroute::FrameBatch;
using ttroute::FrameView;
using ttroute::kFrameHeaderSize;
namespace CommandId = ttroute::CommandId;

/// Reports a broken promise and crashes, so libFuzzer keeps the input.
[[noreturn]] void fail(const std::string& what)
{
    std::fprintf(stderr, "ttroute_fuzz: %s\n", what.c_str());
    std::fflush(stderr);
    std::abort();
}

/// The router logs through this: every level enabled, so the log lines are built (and fuzzed
/// too), but written nowhere.
Poco::Logger& nullLogger()
{
    static Poco::Logger& logger = [] () -> Poco::Logger& {
        Poco::Logger& l = Poco::Logger::get("ttroute.fuzz");
        l.setChannel(Poco::AutoPtr<Poco::NullChannel>(new Poco::NullChannel));
        l.setLevel(Poco::Message::PRIO_TRACE);
        return l;
    }();
    return logger;
}

/// Users a trace follows in every session: ids the seed corpus uses, so the routing path's
/// trace lines (PduSummary, TraceRecorder) are fuzzed as well.
const std::vector<std::uint32_t> kTracedUsers = {1, 2, 3, 1001, 2001};

/// The fuzzed router's settings: small limits, a lost connection's users announced (and
/// remembered for their return) before detach() returns, and `viaMaster` for
/// route.announce_via_master.
ttroute::RouteSettings fuzzSettings(bool viaMaster)
{
    ttroute::RouteSettings settings;
    settings.peerLossGrace = std::chrono::milliseconds(0);
    settings.announceViaMaster = viaMaster;
    settings.maxPduBytes = ttfuzz::kMaxFrameBytes;
    settings.maxStatusQueryIds = ttfuzz::kMaxStatusQueryIds;
    settings.maxOnlineUserInfoEntries = ttfuzz::kMaxOnlineUserInfoEntries;
    return settings;
}

/// TTROUTE_FUZZ_VERBOSE set: each input ends with a line saying what happened (for checking seeds).
bool verbose()
{
    static const bool on = std::getenv("TTROUTE_FUZZ_VERBOSE") != nullptr;
    return on;
}

/// What the session is doing, so a peer can judge what it is delivered, and what peers received.
struct Activity
{
    const ttroute::PeerLink* sender = nullptr; ///< whose frames Router::route is handling, or null
    bool detaching = false;                    ///< Router::detach is running
    unsigned long long batches = 0;
    unsigned long long frames = 0;
    unsigned long long bytes = 0;
};

/// Frames the router makes itself after presence changes (protocol.md §5, §7).
bool isNotification(std::uint16_t commandId)
{
    return commandId == CommandId::LoginStatusNotify || commandId == CommandId::BuddyStatusNotify;
}

/// Commands protocol.md §6 relays to every connection but the sender.
bool isRelayedToOthers(std::uint16_t commandId)
{
    switch (commandId)
    {
        case CommandId::MsgData:
        case CommandId::SwitchP2PCmd:
        case CommandId::MsgReadNotify:
        case CommandId::ServerKickUser:
        case CommandId::GroupChangeMemberNotify:
        case CommandId::FileNotify:
        case CommandId::RemoveSessionNotify:
            return true;
        default:
            return false;
    }
}

/// Reads every byte of `data` (a cheap hash), so AddressSanitizer sees any byte that is not ours.
std::uint32_t touch(const char* data, std::size_t size, std::uint32_t hash)
{
    for (std::size_t i = 0; i < size; ++i)
        hash = (hash ^ static_cast<unsigned char>(data[i])) * 16777619u;
    return hash;
}

/// A msg server as the router sees it; checks everything delivered to it.
class FuzzPeer final : public ttroute::PeerLink
{
public:
    /// A peer that `takesShared` asks every batch for its shared copy, as a peer that must queue does.
    FuzzPeer(ConnectionId id, bool takesShared, Activity& activity)
        : id_(id)
        , description_("fuzz peer #" + std::to_string(id))
        , takesShared_(takesShared)
        , activity_(activity)
    {
    }

    ConnectionId id() const override { return id_; }
    const std::string& description() const override { return description_; }

    void deliver(FrameBatch& batch) override
    {
        if (leaving_)
            fail(description_ + ": a batch of " + std::to_string(batch.frameCount()) +
                 " frames was delivered while the peer was being detached");
        std::string bytes;
        batch.appendTo(bytes);
        if (takesShared_)
        {
            const ttroute::SharedBytes& shared = batch.shared();
            if (!shared || *shared != bytes)
                fail(description_ + ": the shared copy of a batch differs from the batch");
            if (batch.spanCount() != 1 || batch.spans()[0].iov_base != shared->data())
                fail(description_ + ": a batch does not read from its shared copy once it has one");
        }
        checkFrames(batch, bytes);
        hash_ = touch(bytes.data(), bytes.size(), hash_);
        ++activity_.batches;
        activity_.frames += batch.frameCount();
        activity_.bytes += batch.size();
    }

    std::size_t queuedBytes() const override { return 0; }

    void close(ttroute::DisconnectReason) override {}

    /// From now on nothing may be delivered to this peer.
    void leaving() { leaving_ = true; }

private:
    /// The batch is whole frames, as many as it claims, each one for this peer.
    void checkFrames(const FrameBatch& batch, const std::string& bytes) const
    {
        const char* data = bytes.data();
        const std::size_t size = bytes.size();
        std::size_t offset = 0;
        std::uint32_t frames = 0;
        while (offset < size)
        {
            if (size - offset < kFrameHeaderSize)
                fail(description_ + ": a batch of " + std::to_string(size) + " bytes ends in a partial header at offset " +
                     std::to_string(offset));
            const std::uint32_t length = ttroute::readFrameHeader(data + offset).length;
            if (length < kFrameHeaderSize)
                fail(description_ + ": a delivered frame at offset " + std::to_string(offset) + " has length " +
                     std::to_string(length));
            if (length > size - offset)
                fail(description_ + ": a batch of " + std::to_string(size) + " bytes ends in a partial frame of length " +
                     std::to_string(length) + " at offset " + std::to_string(offset));
            checkDestination(ttroute::readFrameHeader(data + offset).commandId);
            offset += length;
            ++frames;
        }
        if (frames != batch.frameCount())
            fail(description_ + ": a batch claims " + std::to_string(batch.frameCount()) + " frames but holds " +
                 std::to_string(frames));
    }

    /// Who gets what (protocol.md §5-§7): a detach sends notifications only; a sender gets
    /// back its answers, the notifications and SIGN_INFO_CHANGED; the others get the
    /// notifications and what is relayed, never an answer to someone else's query.
    void checkDestination(std::uint16_t commandId) const
    {
        const char* broken = nullptr;
        if (activity_.detaching)
            broken = isNotification(commandId) ? nullptr : "was delivered by a detach, which sends only notifications";
        else if (!activity_.sender)
            broken = "was delivered outside Router::route and Router::detach";
        else if (activity_.sender == this)
            broken = isNotification(commandId) || commandId == CommandId::UsersStatusResponse ||
                             commandId == CommandId::SignInfoChangedNotify
                         ? nullptr
                         : "went back to its sender";
        else
            broken = isNotification(commandId) || isRelayedToOthers(commandId) || commandId == CommandId::SignInfoChangedNotify
                         ? nullptr
                         : "reached a peer that is neither its sender nor one it is relayed to";
        if (broken)
        {
            char id[16];
            std::snprintf(id, sizeof id, "0x%04x", static_cast<unsigned>(commandId));
            fail(description_ + ": a frame of command " + id + " " + broken);
        }
    }

    ConnectionId id_;
    std::string description_;
    bool takesShared_;
    Activity& activity_;
    bool leaving_ = false;
    std::uint32_t hash_ = 2166136261u;
};

/// One input's world: a router with its presence, peers and counters, and the peers' connections.
class Session
{
public:
    /// `peerCount` peers, all connected, with route.announce_via_master `viaMaster`.
    Session(unsigned peerCount, bool viaMaster)
        : settings_(fuzzSettings(viaMaster))
        , tracer_(nullLogger())
        , router_(presence_, directory_, settings_, counters_, tracer_, nullLogger())
        , trace_(tracer_.start(kTracedUsers, std::chrono::minutes(1)))
        , connections_(peerCount)
    {
        for (std::size_t slot = 0; slot < connections_.size(); ++slot)
            connect(slot);
    }

    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    /// Number of peers the script drives.
    std::size_t peerCount() const { return connections_.size(); }

    /// A new connection for the peer in `slot`; a connection it still has is lost first.
    void connect(std::size_t slot)
    {
        Connection& connection = connections_[slot];
        if (connection.peer)
            disconnect(slot);
        // Odd slots take the shared copy of every batch: both ways a peer may hold a batch.
        connection.peer = std::make_shared<FuzzPeer>(nextId_++, slot % 2 == 1, activity_);
        connection.decoder = std::make_unique<ttroute::FrameDecoder>(ttfuzz::kReadChunk);
        router_.attach(connection.peer);
    }

    /// The peer in `slot` loses its connection, as RouteService::retire handles it.
    void disconnect(std::size_t slot)
    {
        Connection& connection = connections_[slot];
        if (!connection.peer)
            return;
        connection.peer->leaving();
        activity_.detaching = true;
        router_.detach(*connection.peer, true);
        activity_.detaching = false;
        // Dropped at once: should the router still hold it anywhere, AddressSanitizer sees the use.
        connection.peer.reset();
        connection.decoder.reset();
    }

    /// `data` arrives on the connection of the peer in `slot`, read as RouteConnection::serve reads.
    void receive(std::size_t slot, const std::uint8_t* data, std::size_t size)
    {
        Connection& connection = connections_[slot];
        while (size > 0 && connection.peer)
        {
            const auto [space, capacity] = connection.decoder->prepareRead();
            if (capacity == 0)
                fail("FrameDecoder::prepareRead offers no room with " + std::to_string(connection.decoder->pendingBytes()) +
                     " bytes pending: recv() would return 0 and the connection would look closed");
            const std::size_t count = std::min(capacity, size);
            std::memcpy(space, data, count);
            data += count;
            size -= count;
            frames_.clear();
            try
            {
                connection.decoder->commit(count, settings_.maxPduBytes(), frames_);
            }
            catch (const ttroute::FrameError&)
            {
                // The frames before the bad header are sound: route them, then the connection ends.
                checkFrames(space, count);
                framesDecoded_ += frames_.size();
                route(connection);
                ++badFrames_;
                disconnect(slot);
                return;
            }
            if (frames_.empty())
                continue;
            checkFrames(space, count);
            framesDecoded_ += frames_.size();
            route(connection);
        }
    }

    /// Every peer goes away; then nothing may be left of them.
    void finish()
    {
        for (std::size_t slot = 0; slot < connections_.size(); ++slot)
            disconnect(slot);
        if (!directory_.snapshot()->empty())
            fail(std::to_string(directory_.snapshot()->size()) + " peers still attached after every peer was detached");
        if (presence_.userCount() != 0)
            fail(std::to_string(presence_.userCount()) + " users still online after every connection was detached");
        if (verbose())
            std::fprintf(stderr,
                         "  %zu peers, %u connections, %u bad headers, %llu frames decoded; "
                         "delivered %llu batches, %llu frames, %llu bytes\n",
                         connections_.size(), nextId_ - 1, badFrames_, framesDecoded_, activity_.batches,
                         activity_.frames, activity_.bytes);
    }

private:
    struct Connection
    {
        std::shared_ptr<FuzzPeer> peer; ///< null while disconnected
        std::unique_ptr<ttroute::FrameDecoder> decoder;
        ttroute::RouteScratch scratch; ///< kept between reads, as RouteConnection keeps it
    };

    /// Routes the decoded frames as `from`'s.
    void route(Connection& from)
    {
        activity_.sender = from.peer.get();
        router_.route(*from.peer, frames_, from.scratch);
        activity_.sender = nullptr;
    }

    /// The decoded frames are whole, within the limits, and back to back, the last one ending
    /// inside the read just committed.
    void checkFrames(const char* read, std::size_t count) const
    {
        const char* next = frames_.empty() ? nullptr : frames_.front().bytes;
        for (const FrameView& frame : frames_)
        {
            if (frame.bytes != next)
                fail("decoded frames are not back to back");
            if (frame.header.length < kFrameHeaderSize || frame.header.length > settings_.maxPduBytes())
                fail("decoded a frame of length " + std::to_string(frame.header.length));
            if (ttroute::readFrameHeader(frame.bytes).length != frame.header.length)
                fail("a decoded frame's header differs from its bytes");
            next = frame.bytes + frame.header.length;
        }
        if (next && (next <= read || next > read + count))
            fail("the last decoded frame does not end in the read just committed");
    }

    ttroute::PresenceRegistry presence_;
    ttroute::PeerDirectory directory_;
    ttroute::LiveSettings settings_;
    ttroute::RouteCounters counters_;
    ttroute::Tracer tracer_;
    ttroute::Router router_;
    std::shared_ptr<ttroute::TraceSubscription> trace_; ///< every PDU of a few users also goes through tracing
    std::vector<Connection> connections_;
    std::vector<FrameView> frames_;
    Activity activity_;
    ConnectionId nextId_ = 1;
    unsigned badFrames_ = 0;
    unsigned long long framesDecoded_ = 0;
};

std::uint16_t readU16(const std::uint8_t* p)
{
    return static_cast<std::uint16_t>((p[0] << 8) | p[1]);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0)
        return 0;
    Session session(ttfuzz::kMinPeers + data[0] % ttfuzz::kPeerChoices, (data[0] / ttfuzz::kPeerChoices) % 2 == 1);
    std::size_t at = 1;
    while (at < size)
    {
        const std::size_t slot = data[at] % session.peerCount();
        const auto op = static_cast<ttfuzz::Op>(at + 1 < size ? data[at + 1] % ttfuzz::kOpCount : 0);
        const std::size_t length = at + 3 < size ? readU16(data + at + 2) : 0;
        at = std::min(size, at + ttfuzz::kRecordHeadSize);
        const std::size_t available = std::min(length, size - at);
        switch (op)
        {
            case ttfuzz::Op::Receive:
                session.receive(slot, data + at, available);
                break;
            case ttfuzz::Op::Connect:
                session.connect(slot);
                break;
            case ttfuzz::Op::Disconnect:
                session.disconnect(slot);
                break;
        }
        at += available;
    }
    session.finish();
    return 0;
}
