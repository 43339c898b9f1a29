// The e2e_operations suite's fixture base: the configurations it starts tthost on (OperationsEndToEnd.h).
#include "OperationsEndToEnd.h"

tttest::HostProperties OperationsEndToEnd::baseProperties()
{
    return tttest::HostProperties("OperationsEndToEndTest").set("host.drain_timeout", "2s");
}

tttest::HostProperties OperationsEndToEnd::heartbeatsEvery(const std::string& interval)
{
    return baseProperties().set("route.heartbeat_interval", interval);
}
