#include "tthost/ConfigFileWatcher.h"

#include "tthost/ConfigError.h"
#include "tthost/ConfigReader.h"
#include "tthost/ReconfigurableSubsystem.h"

#include <Poco/FileStream.h>
#include <Poco/Path.h>
#include <Poco/Util/MapConfiguration.h>
#include <Poco/Util/PropertyFileConfiguration.h>

#include <sys/stat.h>

namespace tthost
{
namespace
{

/// True for a key whose value must never be shown: a token, a password, a secret.
bool isSecret(const std::string& key)
{
    for (const char* word : {"token", "password", "secret"})
        if (key.find(word) != std::string::npos)
            return true;
    return false;
}

/// Every key of `config` with its value, secrets hidden.
std::map<std::string, std::string> shownValues(const Poco::Util::AbstractConfiguration& config)
{
    auto values = flattenConfig(config);
    for (auto& [key, value] : values)
        if (isSecret(key))
            value = "(hidden)";
    return values;
}

/// "key: old -> new; key2: (unset) -> value" for every key whose value differs; secrets show
/// only that they changed.
std::string describeChanges(const Poco::Util::AbstractConfiguration& before, const Poco::Util::AbstractConfiguration& after)
{
    const auto old = flattenConfig(before);
    const auto next = flattenConfig(after);
    std::string changes;
    auto add = [&](const std::string& key, const std::string& from, const std::string& to) {
        changes += (changes.empty() ? "" : "; ") + key + (isSecret(key) ? ": changed" : ": " + from + " -> " + to);
    };
    for (const auto& [key, value] : next)
    {
        const auto found = old.find(key);
        if (found == old.end())
            add(key, "(unset)", value);
        else if (found->second != value)
            add(key, found->second, value);
    }
    for (const auto& [key, value] : old)
        if (next.count(key) == 0)
            add(key, value, "(unset)");
    return changes;
}

/// The application's subsystems that can take a new configuration while they run.
std::vector<ReconfigurableSubsystem*> reconfigurable(Poco::Util::Application& app)
{
    std::vector<ReconfigurableSubsystem*> subsystems;
    for (auto& subsystem : app.subsystems())
        if (auto* one = dynamic_cast<ReconfigurableSubsystem*>(subsystem.get()))
            subsystems.push_back(one);
    return subsystems;
}

} // namespace

ConfigFileWatcher::Stamp ConfigFileWatcher::Stamp::of(const std::string& path)
{
    struct stat status
    {
    };
    if (::stat(path.c_str(), &status) != 0)
        return {};
    return {static_cast<std::int64_t>(status.st_mtim.tv_sec) * 1000000000 + status.st_mtim.tv_nsec, static_cast<std::int64_t>(status.st_size),
            static_cast<std::uint64_t>(status.st_ino)};
}

Poco::AutoPtr<Poco::Util::AbstractConfiguration> ConfigFileWatcher::loadPropertiesFile(const std::string& path)
{
    try
    {
        Poco::FileInputStream in(path);
        return Poco::makeAuto<Poco::Util::PropertyFileConfiguration>(in);
    }
    catch (const Poco::Exception& error)
    {
        throw ConfigError("--config-file", "cannot read '" + path + "': " + error.displayText());
    }
}

ConfigFileWatcher::ConfigFileWatcher(Poco::Util::Application& app, std::string path, Loader loader, Check check)
    : app_(app)
    , path_(Poco::Path(path).absolute().toString())
    , loader_(std::move(loader))
    , check_(std::move(check))
{
}

ConfigFileWatcher::~ConfigFileWatcher()
{
    stop();
}

Poco::AutoPtr<Poco::Util::AbstractConfiguration> ConfigFileWatcher::read()
{
    // Stamped before reading: a file that changes while it is read is read again next time.
    stamp_ = Stamp::of(path_);
    if (stamp_.size < 0)
        throw ConfigError("--config-file", "'" + path_ + "' does not exist");
    auto next = loader_(path_);
    if (check_)
        check_(*next);
    return next;
}

void ConfigFileWatcher::replaceFile(const Poco::AutoPtr<Poco::Util::AbstractConfiguration>& next)
{
    if (file_)
        app_.config().removeConfiguration(file_);
    app_.config().add(next, Poco::Util::Application::PRIO_DEFAULT, false);
    file_ = next;
}

void ConfigFileWatcher::load(bool optional)
{
    std::lock_guard lock(mutex_);
    if (optional && Stamp::of(path_).size < 0)
    {
        // A missing file that was never asked for: the built-in defaults, until it appears.
        stamp_ = {};
        replaceFile(Poco::makeAuto<Poco::Util::MapConfiguration>());
        return;
    }
    replaceFile(read());
}

ConfigFileWatcher::Reload ConfigFileWatcher::reload(const std::string& trigger)
{
    std::lock_guard lock(mutex_);
    Reload done{Outcome::Rejected, {}, std::chrono::system_clock::now()};
    if (closed_)
    {
        done.message = "configuration reload " + trigger + " refused: stopping";
        return done;
    }
    try
    {
        const auto old = file_;
        const auto next = read();
        replaceFile(next);
        const auto subsystems = reconfigurable(app_);
        try
        {
            for (ReconfigurableSubsystem* subsystem : subsystems)
                subsystem->prepare(app_.config());
        }
        catch (...)
        {
            for (ReconfigurableSubsystem* subsystem : subsystems)
                subsystem->discard();
            replaceFile(old);
            throw;
        }
        const std::string changes = describeChanges(*old, *next);
        if (changes.empty())
        {
            for (ReconfigurableSubsystem* subsystem : subsystems)
                subsystem->discard();
            done.outcome = Outcome::Unchanged;
            done.message = "configuration re-read " + trigger + ": no value changed";
        }
        else
        {
            std::string restartKeys;
            for (ReconfigurableSubsystem* subsystem : subsystems)
            {
                subsystem->reinitialize(app_);
                for (const std::string& key : subsystem->restartKeys())
                    restartKeys += (restartKeys.empty() ? "" : ", ") + key;
            }
            done.outcome = Outcome::Applied;
            done.message = "configuration reloaded " + trigger + ": " + changes +
                           (restartKeys.empty() ? "" : " [needs a restart, ignored until then: " + restartKeys + "]");
        }
    }
    catch (const ConfigError& error)
    {
        done.message = "configuration reload " + trigger + " rejected, the running configuration stays in force: " + error.what();
    }
    catch (const std::exception& error)
    {
        // Not a problem of the file: something that prepare() could not foresee failed.
        done.message = "configuration reload " + trigger + " failed: " + error.what();
    }
    if (done.outcome == Outcome::Rejected)
        app_.logger().error(done.message);
    else
        app_.logger().information(done.message);
    ++counts_[static_cast<int>(done.outcome)];
    last_ = done;
    return done;
}

std::optional<ConfigFileWatcher::Reload> ConfigFileWatcher::lastReload() const
{
    std::lock_guard lock(mutex_);
    return last_;
}

std::map<std::string, std::string> ConfigFileWatcher::settings() const
{
    std::lock_guard lock(mutex_);
    return file_ ? shownValues(*file_) : std::map<std::string, std::string>{};
}

const char* ConfigFileWatcher::toString(Outcome outcome)
{
    switch (outcome)
    {
        case Outcome::Applied: return "applied";
        case Outcome::Unchanged: return "unchanged";
        case Outcome::Rejected: return "rejected";
    }
    return "unknown";
}

bool ConfigFileWatcher::reloadIfChanged()
{
    {
        std::lock_guard lock(mutex_);
        if (Stamp::of(path_) == stamp_)
            return false;
    }
    reload("after " + path_ + " changed");
    return true;
}

void ConfigFileWatcher::start()
{
    std::lock_guard lock(threadMutex_);
    if (thread_.joinable())
        return;
    stopping_ = false;
    thread_ = std::thread([this] {
        std::unique_lock lock(threadMutex_);
        while (!wake_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_; }))
        {
            lock.unlock();
            try
            {
                reloadIfChanged();
            }
            catch (const std::exception& error)
            {
                app_.logger().error(std::string("configuration reload failed: ") + error.what());
            }
            lock.lock();
        }
    });
}

void ConfigFileWatcher::close()
{
    stop();
    std::lock_guard lock(mutex_);
    closed_ = true;
}

void ConfigFileWatcher::stop()
{
    {
        std::lock_guard lock(threadMutex_);
        stopping_ = true;
        wake_.notify_all();
    }
    if (thread_.joinable())
        thread_.join();
}

} // namespace tthost
