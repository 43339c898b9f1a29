#pragma once

#include <string>

namespace ttctl
{

/// What `ttctl --help` prints: a short manual page.
class HelpText
{
public:
    HelpText() = delete;

    /// The manual, naming `defaultConfig` as the properties file read by default.
    static std::string manual(const std::string& defaultConfig);
};

} // namespace ttctl
