#pragma once

#include <Poco/AutoPtr.h>
#include <Poco/Util/AbstractConfiguration.h>
#include <Poco/Util/Application.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace tthost
{

/// Keeps an application's configuration in step with one file, for applications that want
/// that (opt-in): load() puts the file in the application's config(); reload() re-reads it
/// and hands it to every ReconfigurableSubsystem, all or nothing: a file that does not load,
/// that check() refuses or that any subsystem refuses changes nothing, and the old file stays
/// in force. Every reload is logged on the application's logger, once, with the keys that
/// changed or the reason for the refusal.
///
/// reload(), reloadIfChanged() and load() must not run at the same time as each other or as
/// the application's initialize() and uninitialize(): call them from the application's
/// thread, or start() a thread of the watcher's own and stop() it before main() returns.
class ConfigFileWatcher
{
public:
    /// Reads a configuration file; throws ConfigError when it cannot.
    using Loader = std::function<Poco::AutoPtr<Poco::Util::AbstractConfiguration>(const std::string& path)>;

    /// Checks the file's own configuration before anything else sees it; throws ConfigError.
    using Check = std::function<void(const Poco::Util::AbstractConfiguration& file)>;

    /// What one reload did.
    enum class Outcome
    {
        Applied,   ///< something changed and is in force
        Unchanged, ///< the file was read again but no value differs
        Rejected,  ///< refused: the running configuration stays
    };

    /// A properties file (Poco::Util::PropertyFileConfiguration); ConfigError("--config-file", ...) when unreadable.
    static Poco::AutoPtr<Poco::Util::AbstractConfiguration> loadPropertiesFile(const std::string& path);

    /// Watches `path` (made absolute now) for `app`, reading it with `loader`, checking it with `check`.
    ConfigFileWatcher(Poco::Util::Application& app, std::string path, Loader loader = loadPropertiesFile, Check check = {});

    /// stop().
    ~ConfigFileWatcher();

    ConfigFileWatcher(const ConfigFileWatcher&) = delete;
    ConfigFileWatcher& operator=(const ConfigFileWatcher&) = delete;

    /// Reads the file into the application's config() (at Poco's default priority), before its
    /// subsystems initialize; throws ConfigError when it cannot be read or check() refuses it.
    /// With `optional`, a file that does not exist stands for an empty one until it appears.
    void load(bool optional = false);

    /// Reads the file again and puts it in force (see the class comment); `trigger` says why
    /// in the log line ("on SIGHUP", "after FILE changed").
    Outcome reload(const std::string& trigger);

    /// reload() when the file on disk differs from the one last read (modification time, size
    /// or inode); false when it does not.
    bool reloadIfChanged();

    /// Calls reloadIfChanged() every second from a thread of its own, until stop().
    void start();

    /// Ends the thread of start(), if any; idempotent.
    void stop();

    /// The file, as an absolute path.
    const std::string& path() const { return path_; }

    /// Reloads so far with `outcome`, for metrics; from any thread.
    std::uint64_t reloads(Outcome outcome) const { return counts_[static_cast<int>(outcome)].load(); }

private:
    struct Stamp
    {
        std::int64_t modifiedNs = -1; ///< -1: no such file
        std::int64_t size = -1;
        std::uint64_t inode = 0;
        static Stamp of(const std::string& path);
        bool operator==(const Stamp& other) const { return modifiedNs == other.modifiedNs && size == other.size && inode == other.inode; }
    };

    Poco::AutoPtr<Poco::Util::AbstractConfiguration> read();
    void replaceFile(const Poco::AutoPtr<Poco::Util::AbstractConfiguration>& next);

    Poco::Util::Application& app_;
    std::string path_;
    Loader loader_;
    Check check_;
    Stamp stamp_;                                          ///< of the file last read
    Poco::AutoPtr<Poco::Util::AbstractConfiguration> file_; ///< the file's layer in the application's config()
    std::atomic<std::uint64_t> counts_[3]{};

    std::mutex threadMutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

} // namespace tthost
