#pragma once

#include <string>

namespace tttest
{

/// The shipped configuration `shipped` (conf/tthost.properties, or its installed copy) with
/// every host.<name>.listen line, the admin endpoint's included, pointed at 127.0.0.1:0, so a
/// test never touches the production ports; adds one for the route plugin when it has none.
std::string withEphemeralListen(const std::string& shipped);

} // namespace tttest
