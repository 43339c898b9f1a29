#pragma once

#include <Poco/AutoPtr.h>
#include <Poco/Util/MapConfiguration.h>

#include <string>

namespace tthost
{

/// The original TeamTalk routeserver.conf: "ListenIP=a;b" and "ListenMsgPort=8200", with
/// "#" starting a comment anywhere on a line, also after a value.
namespace LegacyConfig
{

/// True when `text` is such a file: it sets ListenIP or ListenMsgPort and no tthost key (a key with a dot).
bool recognises(const std::string& text);

/// The tthost configuration the file stands for: the route plugin listening on every
/// ListenIP at ListenMsgPort, no admin endpoint (the original has none), defaults for
/// everything else. Throws ConfigError naming
/// ListenIP or ListenMsgPort when they are missing or unusable. Other keys are ignored,
/// as the original ignores keys it does not read.
Poco::AutoPtr<Poco::Util::MapConfiguration> translate(const std::string& text);

} // namespace LegacyConfig

} // namespace tthost
