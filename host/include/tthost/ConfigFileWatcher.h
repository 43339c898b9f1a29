#pragma once

#include <Poco/AutoPtr.h>
#include <Poco/Util/AbstractConfiguration.h>
#include <Poco/Util/Application.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
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
/// load() comes before the application's initialize(). After it, reload() and
/// reloadIfChanged() may come from any thread (the application's, the watcher's own after
/// start(), an admin request's): they take turns. close() ends them before the application
/// uninitializes its subsystems.
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

    /// One reload: what it did and the line it logged.
    struct Reload
    {
        Outcome outcome = Outcome::Unchanged;
        std::string message;                        ///< the log line: what changed, or why it was refused
        std::chrono::system_clock::time_point when; ///< when it happened
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
    /// in the log line ("on SIGHUP", "after FILE changed"). Reloads from several threads
    /// (e.g. the admin endpoint's POST /reload) take turns.
    Reload reload(const std::string& trigger);

    /// reload() when the file on disk differs from the one last read (modification time, size
    /// or inode); false when it does not.
    bool reloadIfChanged();

    /// Calls reloadIfChanged() every second from a thread of its own, until stop().
    void start();

    /// Ends the thread of start(), if any; idempotent.
    void stop();

    /// stop(), waits for a reload in progress, and refuses every later one (the application
    /// is stopping: its subsystems are about to go). Idempotent.
    void close();

    /// The file, as an absolute path.
    const std::string& path() const { return path_; }

    /// Reloads so far with `outcome`, for metrics; from any thread.
    std::uint64_t reloads(Outcome outcome) const { return counts_[static_cast<int>(outcome)].load(); }

    /// The last reload, if there was one; from any thread.
    std::optional<Reload> lastReload() const;

    /// The file's keys and values in force, secrets (keys naming a token, password or secret)
    /// hidden; from any thread.
    std::map<std::string, std::string> settings() const;

    /// The lower-case name of `outcome`: "applied", "unchanged", "rejected".
    static const char* toString(Outcome outcome);

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

    mutable std::mutex mutex_; ///< one reload at a time; guards what they change
    Poco::Util::Application& app_;
    std::string path_;
    Loader loader_;
    Check check_;
    std::optional<Reload> last_;
    bool closed_ = false;
    Stamp stamp_;                                          ///< of the file last read
    Poco::AutoPtr<Poco::Util::AbstractConfiguration> file_; ///< the file's layer in the application's config()
    std::atomic<std::uint64_t> counts_[3]{};

    std::mutex threadMutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

} // namespace tthost
