#include "LostUsers.h"

#include <algorithm>
#include <cassert>

namespace ttroute
{

std::uint64_t LostUsers::hold(std::uint64_t loss, const std::string& peer, std::uint32_t user)
{
    Loss* held = find(loss);
    if (!held)
    {
        // Numbered and timed together, under the presence lock: losses expire in the order of their numbers.
        losses_.push_back(Loss{nextId_++, peer, Clock::now(), {}, false, false, 0, 0, 0});
        held = &losses_.back();
    }
    // A user lost twice (back in between on another connection, then lost there) belongs to the later loss.
    auto [entry, added] = byUser_.try_emplace(user, held->id);
    if (!added)
    {
        if (entry->second & kAnnounced)
        {
            --remembered_;
            if (Loss* earlier = find(entry->second & ~kAnnounced))
                --earlier->remembered;
        }
        else
            --held_;
        entry->second = held->id;
    }
    held->users.push_back(user);
    ++held_;
    return held->id;
}

void LostUsers::complete(std::uint64_t loss)
{
    if (Loss* held = find(loss))
        held->complete = true;
}

LostUsers::Return LostUsers::userBack(std::uint32_t user)
{
    const auto entry = byUser_.find(user);
    if (entry == byUser_.end())
        return Return::Unknown;
    const bool wasAnnounced = (entry->second & kAnnounced) != 0;
    Loss* loss = find(entry->second & ~kAnnounced);
    byUser_.erase(entry);
    if (wasAnnounced)
    {
        --remembered_;
        if (loss)
            --loss->remembered;
        forgetExpiredFront();
        return Return::WasAnnounced;
    }
    --held_;
    if (loss)
        ++loss->cameBack;
    return Return::WasHeld;
}

LostUsers::Loss* LostUsers::nextToExpire()
{
    const auto first = std::find_if(losses_.begin(), losses_.end(), [](const Loss& loss) { return !loss.expired; });
    return first != losses_.end() && first->complete ? &*first : nullptr;
}

LostUsers::Loss* LostUsers::find(std::uint64_t id)
{
    if (losses_.empty() || id < losses_.front().id || id > losses_.back().id)
        return nullptr;
    return &losses_[id - losses_.front().id];
}

bool LostUsers::isHeld(std::uint32_t user, const Loss& loss) const
{
    const auto entry = byUser_.find(user);
    return entry != byUser_.end() && entry->second == loss.id;
}

void LostUsers::announced(std::uint32_t user, Loss& loss)
{
    assert(isHeld(user, loss));
    byUser_[user] |= kAnnounced;
    --held_;
    ++remembered_;
    ++loss.remembered;
    // The expiry reads the list in order: the announced ones gather at its front.
    loss.users[loss.announced++] = user;
}

void LostUsers::released(std::uint32_t user, [[maybe_unused]] const Loss& loss)
{
    assert(isHeld(user, loss));
    byUser_.erase(user);
    --held_;
}

void LostUsers::expired(Loss& loss)
{
    // From now on the list names the users announced, for forgetting them when the loss goes.
    loss.users.resize(loss.announced);
    loss.users.shrink_to_fit();
    loss.expired = true;
    forgetExpiredFront();
}

void LostUsers::forgetExpiredFront()
{
    // Expired losses come first: losses expire in order. The oldest goes when nobody of it is
    // remembered any more, or to make room.
    while (!losses_.empty() && losses_.front().expired && (losses_.front().remembered == 0 || remembered_ > maxRemembered_))
    {
        const Loss& oldest = losses_.front();
        for (std::uint32_t user : oldest.users)
        {
            const auto entry = byUser_.find(user);
            if (entry != byUser_.end() && entry->second == (oldest.id | kAnnounced))
            {
                byUser_.erase(entry);
                --remembered_;
            }
        }
        losses_.pop_front();
    }
}

} // namespace ttroute
