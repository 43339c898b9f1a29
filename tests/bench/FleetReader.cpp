#include "FleetReader.h"

#include "FleetConnection.h"
#include "FleetControl.h"
#include "FleetProgress.h"
#include "FleetQuerier.h"
#include "FleetSender.h"
#include "MsgServerFleet.h"
#include "SendStamp.h"
#include "StampedQuery.h"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>
#include <string>
#include <sys/epoll.h>
#include <unistd.h>

namespace ttbench
{
namespace
{

using Clock = std::chrono::steady_clock;

constexpr std::size_t kStreamBytes = 32 * 1024;  ///< a connection's read buffer: a thousand of them stay small
constexpr auto kKeepAliveCheck = std::chrono::seconds(1);

} // namespace

FleetReader::Link::Link(FleetConnection* link)
    : connection(link)
    , stream(kStreamBytes)
{
}

FleetReader::FleetReader(int index, std::vector<FleetConnection*> connections, const FleetLayout& layout, const FleetOptions& options,
                         FleetControl& control, FleetProgress& progress, std::vector<std::unique_ptr<FleetSender>>& senders,
                         std::vector<std::unique_ptr<FleetQuerier>>& queriers, const std::vector<std::vector<StampedQuery>>& requests)
    : index_(index)
    , layout_(layout)
    , options_(options)
    , control_(control)
    , progress_(progress)
    , senders_(senders)
    , queriers_(queriers)
    , requests_(requests)
    , stampLayout_(kFleetUserBase, kFleetUserBase, options.bodyBytes)
    , epoll_(::epoll_create1(EPOLL_CLOEXEC))
    , min_(static_cast<std::size_t>(layout.senders), 0)
    , atMin_(static_cast<std::size_t>(layout.senders), 0)
    , sum_(static_cast<std::size_t>(layout.senders), 0)
{
    if (epoll_ < 0)
        throw std::runtime_error(std::string("epoll_create1 failed: ") + std::strerror(errno));
    links_.reserve(connections.size());
    for (FleetConnection* connection : connections)
    {
        Link& link = links_.emplace_back(connection);
        for (int s = 0; s < layout.senders; ++s)
            link.next.push_back(layout.firstFor(s, connection->index));
        link.count.assign(static_cast<std::size_t>(layout.senders), 0);
        epoll_event event{};
        event.events = EPOLLIN;
        event.data.u32 = static_cast<std::uint32_t>(links_.size() - 1);
        if (::epoll_ctl(epoll_, EPOLL_CTL_ADD, connection->socket->fd(), &event) != 0)
            throw std::runtime_error(std::string("epoll_ctl failed: ") + std::strerror(errno));
    }
    for (int s = 0; s < layout.senders; ++s)
    {
        recomputeMin(s);
        progress_.publish(index_, s, layout_.targeted ? 0 : min_[static_cast<std::size_t>(s)]);
    }
}

FleetReader::~FleetReader()
{
    ::close(epoll_);
}

void FleetReader::addTo(FleetTally& tally, int phase) const
{
    std::lock_guard lock(mutex_);
    const PhaseCounts& counts = phases_[static_cast<std::size_t>(phase)];
    tally.delivered += counts.delivered;
    tally.outOfOrder += counts.outOfOrder;
    tally.misdelivered += counts.misdelivered;
    tally.answers += counts.answers;
    tally.wrongAnswers += counts.wrongAnswers;
    tally.relayLatency.merge(counts.relay);
    tally.queryLatency.merge(counts.query);
}

void FleetReader::run()
{
    int current = -1; // the msg server being read or written: a failure names it
    try
    {
        loop(current);
    }
    catch (const std::exception& error)
    {
        if (current < 0)
            throw;
        throw std::runtime_error(msgServerName(current, layout_.servers) + ": " + error.what());
    }
}

void FleetReader::loop(int& current)
{
    epoll_event events[128];
    auto lastKeepAlive = Clock::now();
    while (!control_.closingFlag.load(std::memory_order_acquire))
    {
        const int ready = ::epoll_wait(epoll_, events, 128, 100);
        if (ready < 0 && errno != EINTR)
            throw std::runtime_error(std::string("epoll_wait failed: ") + std::strerror(errno));
        std::uint64_t deliveredNow = 0;
        for (int i = 0; i < ready; ++i)
        {
            Link& link = links_[events[i].data.u32];
            current = link.connection->index;
            std::lock_guard lock(mutex_);
            std::int64_t arrival = 0;
            link.stream.readFrom(*link.connection->socket, 0, [&](const char* frame, std::uint32_t length) {
                if (arrival == 0)
                    arrival = nowNs();
                const std::uint16_t command = readU16(frame + 10);
                if (command == kMsgDataCommand)
                    deliveredNow += onMessage(link, frame, length, arrival);
                else if (command == kStatusResponseCommand)
                    onAnswer(link, frame, length, arrival);
            });
        }
        current = -1;
        if (deliveredNow > 0)
        {
            delivered_.fetch_add(deliveredNow, std::memory_order_acq_rel);
            for (int s = 0; s < layout_.senders; ++s)
                progress_.publish(index_, s, layout_.targeted ? sum_[static_cast<std::size_t>(s)] : min_[static_cast<std::size_t>(s)]);
            for (auto& sender : senders_)
                sender->wakeup().nudge();
        }
        const auto now = Clock::now();
        if (now - lastKeepAlive >= kKeepAliveCheck)
        {
            lastKeepAlive = now;
            for (Link& link : links_)
                if (!link.connection->writer)
                {
                    current = link.connection->index;
                    link.connection->socket->keepAlive();
                }
            current = -1;
        }
    }
}

FleetReader::PhaseCounts& FleetReader::currentPhase()
{
    return phases_[control_.phase.load(std::memory_order_acquire) % kFleetPhases];
}

/// Returns 1 when the copy counts as delivered.
std::uint64_t FleetReader::onMessage(Link& link, const char* frame, std::uint32_t length, std::int64_t arrival)
{
    if (length != 16 + options_.bodyBytes)
    {
        ++currentPhase().misdelivered;
        return 0;
    }
    const MsgDataStamp stamp = stampLayout_.stampOf(frame);
    const std::uint32_t phase = stamp.sender >> kPhaseShift;
    const auto sender = static_cast<int>(stamp.sender & kSenderMask);
    if (!stamp.intact || sender >= layout_.senders || phase >= static_cast<std::uint32_t>(kFleetPhases))
    {
        ++currentPhase().misdelivered; // not a message any sender wrote
        return 0;
    }
    PhaseCounts& counts = phases_[phase];
    const int here = link.connection->index;
    if (layout_.targeted ? layout_.target(sender, stamp.seq) != here : here == sender)
    {
        ++counts.misdelivered;
        return 0;
    }
    const auto s = static_cast<std::size_t>(sender);
    if (stamp.seq < link.next[s])
        ++counts.outOfOrder;
    else
        link.next[s] = stamp.seq + layout_.step();
    ++counts.delivered;
    counts.relay.record(arrival - stamp.sentNs);
    const std::uint64_t before = link.count[s]++;
    if (layout_.targeted)
        ++sum_[s];
    else if (before == min_[s] && --atMin_[s] == 0)
        recomputeMin(sender);
    return 1;
}

void FleetReader::onAnswer(Link& link, const char* frame, std::uint32_t length, std::int64_t arrival)
{
    if (!answer_.read(frame + 16, length - 16))
    {
        ++currentPhase().wrongAnswers;
        return;
    }
    const auto stamp = QueryStamp::read(answer_.attach, answer_.attachSize);
    if (!stamp)
    {
        if (answer_.attach == nullptr && readU16(frame + 12) == kFleetRegisterSeq)
            return; // a registration's answer, not the fleet's load
        ++currentPhase().wrongAnswers;
        return;
    }
    if (stamp->querier >= queriers_.size() || stamp->request >= requests_[stamp->querier].size() || stamp->phase >= kFleetPhases)
    {
        ++currentPhase().wrongAnswers;
        return;
    }
    PhaseCounts& counts = phases_[stamp->phase];
    ++counts.answers;
    counts.query.record(arrival - stamp->sentNs);
    const int q = static_cast<int>(stamp->querier);
    const std::vector<std::uint32_t>& ids = requests_[static_cast<std::size_t>(q)][stamp->request].ids();
    bool right = answer_.requester == kFleetRequester && link.connection->index == layout_.querierServer(q) && answer_.stats.size() == ids.size();
    for (std::size_t i = 0; right && i < ids.size(); ++i)
        right = answer_.stats[i].first == ids[i] && answer_.stats[i].second == layout_.statusOf(ids[i]);
    counts.wrongAnswers += right ? 0 : 1;
    queriers_[static_cast<std::size_t>(q)]->answeredOne();
}

/// The fewest copies of `sender`'s messages at any of this reader's connections but the
/// sender's own, and how many connections are at that count: in broadcast mode a message
/// is delivered once it is everywhere. Amortised, a recount costs nothing per copy: it
/// happens once the last connection at the minimum moved on.
void FleetReader::recomputeMin(int sender)
{
    std::uint64_t low = UINT64_MAX;
    std::size_t at = 0;
    const auto s = static_cast<std::size_t>(sender);
    for (const Link& link : links_)
    {
        if (link.connection->index == sender)
            continue;
        if (link.count[s] < low)
        {
            low = link.count[s];
            at = 1;
        }
        else if (link.count[s] == low)
            ++at;
    }
    min_[s] = low;
    atMin_[s] = at;
}

} // namespace ttbench
