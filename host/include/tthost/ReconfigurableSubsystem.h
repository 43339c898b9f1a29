#pragma once

#include <Poco/Util/AbstractConfiguration.h>
#include <Poco/Util/Application.h>
#include <Poco/Util/Subsystem.h>

#include <string>
#include <vector>

namespace tthost
{

/// A subsystem whose configuration can change while its application runs, all or nothing
/// across subsystems. ConfigFileWatcher puts a changed file in the application's config(),
/// calls prepare() on every such subsystem, and only when all of them accepted it calls
/// reinitialize() on each; when one refuses, it calls discard() on the others and puts the
/// old file back. All calls come from one thread at a time.
class ReconfigurableSubsystem : public Poco::Util::Subsystem
{
public:
    /// Checks `config` (the application's whole configuration as it would be) and readies
    /// everything that can fail, such as binding new listen addresses, changing nothing that
    /// runs; throws ConfigError naming the key.
    virtual void prepare(const Poco::Util::AbstractConfiguration& config) = 0;

    /// Drops what prepare() readied: another subsystem refused the configuration.
    virtual void discard() noexcept = 0;

    /// Puts in force the configuration prepare() accepted, live; what prepare() checked
    /// cannot fail here. Without a prepare() first, prepares app.config() itself.
    void reinitialize(Poco::Util::Application& app) override = 0;

    /// The keys (full names) the last reinitialize() found changed but left as they were,
    /// because only a restart applies them.
    virtual std::vector<std::string> restartKeys() const { return {}; }
};

} // namespace tthost
