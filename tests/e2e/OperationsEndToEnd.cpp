#include "OperationsEndToEnd.h"

tttest::HostProperties OperationsEndToEnd::baseProperties()
{
    return tttest::HostProperties("OperationsEndToEndTest").set("host.drain_timeout", "2s");
}

tttest::HostProperties OperationsEndToEnd::heartbeatsEvery(const std::string& interval)
{
    return baseProperties().set("route.heartbeat_interval", interval);
}
