#include "AdminClient.h"

#include "ChunkedBodyReader.h"
#include "JsonFields.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SocketStream.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/Timespan.h>

namespace ttctl
{
namespace
{

Poco::Timespan timespan(std::chrono::milliseconds span)
{
    return Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(span.count()) * 1000);
}

/// Copies `in` to `body`, letting errors of the connection through as exceptions (an
/// istream would only set its badbit and end the copy early).
void readAll(std::istream& in, std::string& body)
{
    in.exceptions(std::ios::badbit);
    Poco::StreamCopier::copyToString(in, body);
}

} // namespace

AdminClient::AdminClient(AdminTarget target)
    : target_(std::move(target))
{
}

AdminAnswer AdminClient::get(const std::string& pathAndQuery) const
{
    return exchange(Poco::Net::HTTPRequest::HTTP_GET, pathAndQuery);
}

AdminAnswer AdminClient::post(const std::string& pathAndQuery) const
{
    return exchange(Poco::Net::HTTPRequest::HTTP_POST, pathAndQuery);
}

AdminAnswer AdminClient::exchange(const std::string& method, const std::string& pathAndQuery) const
{
    Poco::Net::HTTPClientSession session(target_.address());
    session.setTimeout(timespan(kConnectTimeout), timespan(kAnswerTimeout), timespan(kAnswerTimeout));
    Poco::Net::HTTPRequest request(method, pathAndQuery, Poco::Net::HTTPMessage::HTTP_1_1);
    request.set("Accept", "application/json");
    if (!target_.token().empty())
        request.set("Authorization", "Bearer " + target_.token());
    if (method != Poco::Net::HTTPRequest::HTTP_GET)
        request.setContentLength(0);

    Poco::Net::HTTPResponse response;
    AdminAnswer answer;
    try
    {
        session.sendRequest(request);
        readAll(session.receiveResponse(response), answer.body);
    }
    catch (const Poco::Exception& error)
    {
        throw unreachable(error);
    }
    if (response.hasContentLength() && static_cast<std::streamsize>(answer.body.size()) != response.getContentLength())
        throw CtlError(CtlError::kUnreachable, "the admin endpoint at " + where() + " closed the connection in the middle of its answer");
    const int status = static_cast<int>(response.getStatus());
    if (status >= 400)
        throw refusal(status, response.getReason(), answer.body);
    answer.json = JsonFields::parseObject(answer.body);
    if (!answer.json)
        throw CtlError(CtlError::kRefused, "the admin endpoint at " + where() + " answered " + method + " " + pathAndQuery +
                                               " with something that is not a JSON object; is it tthost's?");
    return answer;
}

void AdminClient::follow(const std::string& pathAndQuery, std::chrono::milliseconds quietLimit,
                         const std::function<bool(const std::string& piece)>& sink) const
{
    // A socket of its own rather than an HTTPClientSession: Poco's chunked stream reads a
    // connection that broke off as the end of the body.
    Poco::Net::HTTPResponse response;
    std::string body;
    try
    {
        Poco::Net::StreamSocket socket;
        socket.connect(target_.address(), timespan(kConnectTimeout));
        socket.setSendTimeout(timespan(kAnswerTimeout));
        socket.setReceiveTimeout(timespan(quietLimit));
        Poco::Net::SocketStream stream(socket);
        stream.exceptions(std::ios::badbit);

        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, pathAndQuery, Poco::Net::HTTPMessage::HTTP_1_1);
        request.setHost(target_.address().host().toString(), target_.address().port());
        request.setKeepAlive(false);
        if (!target_.token().empty())
            request.set("Authorization", "Bearer " + target_.token());
        request.write(stream);
        stream.flush();
        response.read(stream);

        const int status = static_cast<int>(response.getStatus());
        if (status >= 400)
        {
            if (response.getChunkedTransferEncoding())
                ChunkedBodyReader(stream).read([&body](const std::string& piece) {
                    body += piece;
                    return true;
                });
            else
                readAll(stream, body);
            throw refusal(status, response.getReason(), body);
        }
        if (!response.getChunkedTransferEncoding())
        {
            // A whole answer: the stream is what it holds.
            readAll(stream, body);
            sink(body);
            return;
        }
        if (!ChunkedBodyReader(stream).read(sink))
            throw CtlError(CtlError::kUnreachable, "the admin endpoint at " + where() + " closed the connection before the trace ended");
    }
    catch (const Poco::TimeoutException&)
    {
        throw CtlError(CtlError::kUnreachable, "nothing came from the admin endpoint at " + where() + " for " +
                                                   std::to_string(quietLimit.count() / 1000) + " s");
    }
    catch (const Poco::Exception& error)
    {
        throw unreachable(error);
    }
}

CtlError AdminClient::unreachable(const Poco::Exception& error) const
{
    std::string reason;
    if (dynamic_cast<const Poco::Net::ConnectionRefusedException*>(&error))
        reason = error.name(); // "Connection refused"; its message is only the address again
    else if (dynamic_cast<const Poco::TimeoutException*>(&error))
        reason = "no answer within " + std::to_string(kAnswerTimeout.count()) + " s";
    else if (dynamic_cast<const Poco::Net::NoMessageException*>(&error))
        reason = "it closed the connection without answering";
    else
        reason = error.displayText();
    return CtlError(CtlError::kUnreachable, "cannot reach the admin endpoint at " + where() + ": " + reason);
}

CtlError AdminClient::refusal(int status, const std::string& reason, const std::string& body) const
{
    const Poco::JSON::Object::Ptr json = JsonFields::parseObject(body);
    for (const char* key : {"error", "message"})
    {
        const std::string message = JsonFields::text(json, key);
        if (!message.empty())
            return CtlError(CtlError::kRefused, message);
    }
    return CtlError(CtlError::kRefused, "the admin endpoint at " + where() + " answered " + std::to_string(status) + " " + reason);
}

} // namespace ttctl
