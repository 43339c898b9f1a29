#include "tthost/ConfigError.h"

namespace tthost
{

ConfigError::ConfigError(const std::string& key, const std::string& problem)
    : std::runtime_error(key + ": " + problem)
    , key_(key)
    , problem_(problem)
{
}

} // namespace tthost
