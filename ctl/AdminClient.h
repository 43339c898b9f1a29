#pragma once

#include "AdminTarget.h"
#include "CtlError.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>

#include <chrono>
#include <functional>
#include <string>

namespace ttctl
{

/// The admin endpoint's answer to a request: its body as sent, and parsed.
struct AdminAnswer
{
    std::string body;              ///< the JSON text, as the server sent it
    Poco::JSON::Object::Ptr json;  ///< the same, parsed
};

/// HTTP to tthost's admin endpoint, one connection per request, with timeouts, and the
/// token (if there is one) as "Authorization: Bearer TOKEN". Every failure is a CtlError:
/// kUnreachable when no answer comes (or the connection breaks), kRefused when the server
/// says no (4xx or 5xx: its JSON "error", or a 422 reload's "message") or answers something
/// that is not JSON.
class AdminClient
{
public:
    /// How long a connection may take to open.
    static constexpr std::chrono::seconds kConnectTimeout{5};

    /// How long an answer (or each part of it) may take: a reload may bind addresses.
    static constexpr std::chrono::seconds kAnswerTimeout{30};

    /// A client of `target`.
    explicit AdminClient(AdminTarget target);

    /// GET `pathAndQuery` (e.g. "/presence?user=1"); its JSON object.
    AdminAnswer get(const std::string& pathAndQuery) const;

    /// POST `pathAndQuery` with an empty body; its JSON object.
    AdminAnswer post(const std::string& pathAndQuery) const;

    /// GET `pathAndQuery` as a stream: hands the body to `sink` piece by piece as it arrives,
    /// and returns when the server ends it or `sink` returns false. Throws CtlError
    /// kUnreachable when the connection ends before the body does, or nothing arrives for
    /// `quietLimit`.
    void follow(const std::string& pathAndQuery, std::chrono::milliseconds quietLimit,
                const std::function<bool(const std::string& piece)>& sink) const;

    /// The endpoint's address, for messages: "127.0.0.1:8280".
    std::string where() const { return target_.address().toString(); }

private:
    AdminAnswer exchange(const std::string& method, const std::string& pathAndQuery) const;
    CtlError unreachable(const Poco::Exception& error) const;
    CtlError refusal(int status, const std::string& reason, const std::string& body) const;

    AdminTarget target_;
};

} // namespace ttctl
