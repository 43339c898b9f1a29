#pragma once

// A presence registry checked against the plain model of protocol.md §4 (PresenceModel.h):
// both are given the same updates, and a check compares everything the registry tells.

#include "PresenceModel.h"

#include "presence/PresenceRegistry.h"

#include <cstdint>
#include <string>

namespace presencetest
{

/// A PresenceRegistry and a Model given the same updates, and the checks that they agree.
/// The checks fail the running CppUnit test, naming the step `where`.
class ModelledRegistry
{
public:
    /// Applies one status update to both; returns the registry's outcome.
    ttroute::PresenceOutcome apply(ttroute::ConnectionId connection, std::uint32_t userId, std::uint32_t status, std::uint32_t clientType);

    /// Checks one user: their logins and their status.
    void checkUser(std::uint32_t userId, const std::string& where) const;

    /// Checks the user count, what each of connections 1 to 6 hosts (the model tests use no
    /// others), and every user the model knows.
    void checkAll(const std::string& where) const;

    /// The registry under test; tests may drive it directly, leaving the model behind.
    ttroute::PresenceRegistry registry;
    /// What the registry should hold.
    Model model;
};

} // namespace presencetest
