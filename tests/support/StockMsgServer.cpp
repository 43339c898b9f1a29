#include "StockMsgServer.h"

namespace tttest
{

StockMsgServer::StockMsgServer(std::vector<std::uint16_t> ports)
    : ports_(std::move(ports))
    , links_(ports_.size())
{
    for (std::size_t node = 0; node < ports_.size(); ++node)
        connect(node);
}

void StockMsgServer::update(std::uint32_t user, std::uint32_t status, std::uint32_t clientType)
{
    if (status == 2) // USER_STATUS_OFFLINE: the login is gone
        logins_.erase({user, clientType});
    else
        logins_[{user, clientType}] = status;
    const std::string frame = statusUpdate(user, status, clientType);
    for (Link& link : links_)
        if (link.fake)
            link.fake->send(frame);
}

void StockMsgServer::lose(std::size_t node)
{
    links_.at(node).fake.reset();
    if (master_ != node)
        return;
    master_ = kNone;
    for (std::size_t other = 0; other < links_.size(); ++other)
        if (links_[other].fake && (master_ == kNone || links_[other].connectedAt < links_[master_].connectedAt))
            master_ = other;
    if (master_ != kNone)
        links_[master_].fake->send(roleSet(true));
}

void StockMsgServer::reconnect(std::size_t node)
{
    if (!links_.at(node).fake)
        connect(node);
}

std::vector<WireFrame> StockMsgServer::sync()
{
    std::vector<WireFrame> frames = std::move(received_);
    received_.clear();
    for (Link& link : links_)
        if (link.fake)
            for (WireFrame& frame : link.fake->sync())
                frames.push_back(std::move(frame));
    return frames;
}

void StockMsgServer::connect(std::size_t node)
{
    Link& link = links_.at(node);
    link.fake = std::make_unique<FakeMsgServer>(ports_.at(node));
    link.connectedAt = connects_++;
    std::string hello;
    if (master_ == kNone)
    {
        master_ = node;
        hello = roleSet(true);
    }
    std::vector<std::vector<std::uint32_t>> entries;
    for (const auto& [login, status] : logins_)
        entries.push_back({login.first, status, login.second});
    link.fake->send(hello + onlineUserInfo(entries));
    for (WireFrame& frame : link.fake->sync())
        received_.push_back(std::move(frame));
}

} // namespace tttest
