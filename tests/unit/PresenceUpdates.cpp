#include "PresenceUpdates.h"

namespace presencetest
{

void applyAll(ttroute::PresenceRegistry& registry, std::initializer_list<Update> updates)
{
    for (const Update& update : updates)
        registry.apply(update.connection, update.userId, update.status, update.clientType);
}

} // namespace presencetest
