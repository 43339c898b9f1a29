#pragma once

#include "WireFrames.h"

#include <Poco/Net/StreamSocket.h>

#include <chrono>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

namespace tttest
{

/// A stand-in for a TeamTalk msg server: one real TCP connection to the route server on
/// 127.0.0.1, sending PDUs and reading what comes back.
class FakeMsgServer
{
public:
    /// Connects to 127.0.0.1:`port`.
    explicit FakeMsgServer(std::uint16_t port);

    /// Connects to 127.0.0.1:`port` from `sourceAddress`, another loopback address such as
    /// 127.0.0.2 (Linux routes all of 127/8 to lo), so allowlists can tell connections apart.
    FakeMsgServer(std::uint16_t port, const std::string& sourceAddress);

    /// Writes `bytes` as they are.
    void send(const std::string& bytes);

    /// The next frame that is not a HEARTBEAT; fails the test when none arrives within `timeout`.
    WireFrame receive(std::chrono::milliseconds timeout = std::chrono::seconds(5));

    /// Sends a status query and reads until its answer. The route server handles one
    /// connection's frames in order, and hands everything addressed to a connection to its
    /// outbox in order, so the frames returned (heartbeats left out) are exactly what arrived
    /// for this connection before the answer: everything earlier actions caused.
    std::vector<WireFrame> sync();

    /// True when the route server closes the connection within `timeout`; frames that arrive
    /// first are discarded.
    bool waitClosed(std::chrono::milliseconds timeout = std::chrono::seconds(5));

    /// HEARTBEATs received so far.
    int heartbeats() const { return heartbeats_; }

    /// Closes the connection.
    void close();

    /// The underlying socket, for tests that need to misbehave.
    Poco::Net::StreamSocket& socket() { return socket_; }

    /// How the route server names this connection in its log: "127.0.0.1:<port> #".
    std::string logName() const { return name_; }

private:
    /// Reads once, waiting up to `timeout`; false on timeout, throws on EOF.
    bool readSome(std::chrono::milliseconds timeout);

    Poco::Net::StreamSocket socket_;
    std::string name_; ///< logName(), kept: a reset socket may no longer tell its address
    std::string buffer_;
    std::deque<WireFrame> frames_;
    int heartbeats_ = 0;
    std::uint16_t nextSyncSeq_ = 0xF000;
};

} // namespace tttest
