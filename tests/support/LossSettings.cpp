#include "LossSettings.h"

namespace tttest
{

ttroute::RouteSettings lossSettings(std::optional<std::chrono::milliseconds> grace, bool viaMaster)
{
    ttroute::RouteSettings settings;
    settings.peerLossGrace = grace;
    settings.announceViaMaster = viaMaster;
    return settings;
}

ttroute::RouteSettings announcedAtOnce()
{
    return lossSettings(std::chrono::milliseconds(0));
}

} // namespace tttest
