#pragma once

// What the router suites do with several RecordingPeers at once: clear them between steps,
// and check that each received the same notifications, or nothing. Each check fails the
// running CppUnit test with the peer's description.

#include "RecordingPeer.h"

#include <initializer_list>
#include <memory>
#include <string>

namespace tttest
{

/// The peers a check or step applies to, as a test holds them.
using Peers = std::initializer_list<std::shared_ptr<RecordingPeer>>;

/// Forgets what each of `peers` received so far.
void clearAll(Peers peers);

/// Asserts that each of `peers` received nothing.
void assertNoneReceived(Peers peers);

/// Asserts that each of `peers` received exactly the frames `expected` names, in order, as
/// described() names them (tokens joined with ", ").
void assertEachReceived(const std::string& expected, Peers peers);

} // namespace tttest
