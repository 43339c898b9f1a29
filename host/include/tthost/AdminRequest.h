#pragma once

#include <string>
#include <utility>
#include <vector>

namespace tthost
{

/// An admin GET as a plugin sees it: the path and the query parameters, in order.
struct AdminRequest
{
    std::string path;                                       ///< e.g. "/peers"
    std::vector<std::pair<std::string, std::string>> query; ///< e.g. {{"user", "42"}}, decoded
};

/// A plugin's answer to an admin GET.
struct AdminResponse
{
    int status = 200;                             ///< the HTTP status
    std::string contentType = "application/json"; ///< the Content-Type header
    std::string body;                             ///< the whole body
};

} // namespace tthost
