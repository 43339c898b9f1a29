#pragma once

#include <stdexcept>
#include <string>

namespace tthost
{

/// A configuration problem: the full key and what is wrong with its value.
/// what() reads "<key>: <problem>", ready for a one-line error message.
class ConfigError : public std::runtime_error
{
public:
    /// `key` is the full property name, `problem` a short sentence about its value.
    ConfigError(const std::string& key, const std::string& problem);

    /// The full property name the problem is about.
    const std::string& key() const noexcept { return key_; }

    /// What is wrong with the value.
    const std::string& problem() const noexcept { return problem_; }

private:
    std::string key_;
    std::string problem_;
};

} // namespace tthost
