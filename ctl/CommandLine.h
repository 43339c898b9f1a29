#pragma once

#include <optional>
#include <string>
#include <vector>

namespace ttctl
{

/// ttctl's command line, parsed: a command with its arguments, and options that may come
/// before or after it (`--name VALUE` or `--name=VALUE`; `--` ends the options).
class CommandLine
{
public:
    /// Parses `argc`/`argv`; throws CtlError::usage() naming what is wrong.
    static CommandLine parse(int argc, const char* const* argv);

    /// The command (status, peers, user, trace, reload, drain, help); empty with --help or --version.
    const std::string& command() const { return command_; }

    /// The command's arguments, e.g. the user ids of `user`.
    const std::vector<std::string>& arguments() const { return arguments_; }

    /// --admin HOST:PORT, as given.
    const std::optional<std::string>& admin() const { return admin_; }

    /// --config FILE.
    const std::optional<std::string>& config() const { return config_; }

    /// --token TOKEN.
    const std::optional<std::string>& token() const { return token_; }

    /// --for DURATION (trace only), as given, e.g. "30s".
    const std::optional<std::string>& forDuration() const { return for_; }

    /// --json: print the server's JSON instead of tables.
    bool json() const { return json_; }

    /// --help (or the command `help`).
    bool help() const { return help_; }

    /// --version.
    bool version() const { return version_; }

private:
    void option(const std::string& name, const std::optional<std::string>& value, bool& usedValue);
    void check() const;

    std::string command_;
    std::vector<std::string> arguments_;
    std::optional<std::string> admin_;
    std::optional<std::string> config_;
    std::optional<std::string> token_;
    std::optional<std::string> for_;
    bool json_ = false;
    bool help_ = false;
    bool version_ = false;
};

} // namespace ttctl
