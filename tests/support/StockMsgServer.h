#pragma once

#include "FakeMsgServer.h"

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <utility>
#include <vector>

namespace tttest
{

/// A msg server that treats several route servers as a stock TeamTalk msg server does
/// (protocol.md §8): it connects to each, sends ONLINE_USER_INFO on every connect and status
/// updates to all, and makes the oldest open link its master, telling only that route server
/// with ROLE_SET master = 1, first, at its first connect and whenever its master link goes.
/// A stock one reconnects by itself a few seconds after a loss; here the test says when.
class StockMsgServer
{
public:
    /// Where a link is not: no master.
    static constexpr std::size_t kNone = static_cast<std::size_t>(-1);

    /// Connects to the route servers on 127.0.0.1:`ports`, in that order; returns once each
    /// has handled what it was sent, so it receives whatever others cause from then on.
    explicit StockMsgServer(std::vector<std::uint16_t> ports);

    /// A login, a status change or (OFFLINE) a logout of `user` with `clientType`: a status
    /// update to every route server linked, remembered for the ONLINE_USER_INFO of reconnects.
    void update(std::uint32_t user, std::uint32_t status, std::uint32_t clientType);

    /// The link to route server `node` is lost (it closes from this side, as after a reset,
    /// or the route server went away); when it was the master, the oldest link left becomes
    /// master and is told so.
    void lose(std::size_t node);

    /// Connects to route server `node` again: ROLE_SET first when no link is master, then
    /// ONLINE_USER_INFO with every login; returns once the route server has handled them.
    void reconnect(std::size_t node);

    /// The route server its master link goes to; kNone when it has no link.
    std::size_t master() const { return master_; }

    /// True while it has a link to route server `node`.
    bool linked(std::size_t node) const { return links_.at(node).fake != nullptr; }

    /// The link to route server `node`.
    FakeMsgServer& link(std::size_t node) { return *links_.at(node).fake; }

    /// What each route server linked sent it up to now (FakeMsgServer::sync() on every link,
    /// in node order, after what connecting received): everything the status updates it and
    /// others sent before caused.
    std::vector<WireFrame> sync();

private:
    struct Link
    {
        std::unique_ptr<FakeMsgServer> fake; ///< null while lost
        std::uint64_t connectedAt = 0;       ///< the order of connects: lower is older
    };

    void connect(std::size_t node);

    std::vector<std::uint16_t> ports_;
    std::vector<Link> links_;
    std::map<std::pair<std::uint32_t, std::uint32_t>, std::uint32_t> logins_; ///< (user, client type) → status
    std::vector<WireFrame> received_; ///< what connecting received, for the next sync()
    std::size_t master_ = kNone;
    std::uint64_t connects_ = 0;
};

} // namespace tttest
