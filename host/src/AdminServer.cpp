#include "AdminServer.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/URI.h>

#include <poll.h>
#include <sys/socket.h>

namespace tthost
{
namespace
{

/// The largest POST body read.
constexpr std::size_t kMaxBody = 64 * 1024;

/// A streamed answer's way to the client: chunked transfer encoding, flushed at every write.
class ChunkedStream : public AdminStream
{
public:
    ChunkedStream(std::ostream& out, int fd, const std::atomic<bool>& stopping)
        : out_(out)
        , fd_(fd)
        , stopping_(stopping)
    {
    }

    bool write(const std::string& text) override
    {
        if (!open())
            return false;
        try
        {
            out_ << text;
            out_.flush();
        }
        catch (const Poco::Exception&)
        {
            failed_ = true;
        }
        failed_ = failed_ || !out_.good();
        return !failed_;
    }

    bool open() override
    {
        if (failed_ || stopping_.load())
            return false;
        // A client that went away has its end of the connection readable, with nothing to read.
        pollfd events{fd_, POLLIN, 0};
        char byte = 0;
        if (::poll(&events, 1, 0) == 1 && ::recv(fd_, &byte, 1, MSG_PEEK | MSG_DONTWAIT) <= 0)
            failed_ = true;
        return !failed_;
    }

private:
    std::ostream& out_;
    int fd_;
    const std::atomic<bool>& stopping_;
    bool failed_ = false;
};

class AdminRequestHandler : public Poco::Net::HTTPRequestHandler
{
public:
    AdminRequestHandler(const AdminServer::Answer& answer, const std::atomic<bool>& stopping)
        : answer_(answer)
        , stopping_(stopping)
    {
    }

    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override
    {
        AdminResponse answer;
        const std::string& method = request.getMethod();
        const Poco::URI uri(request.getURI());
        AdminRequest query{method, uri.getPath(), {}, {}, request.get("Accept", "")};
        for (auto& parameter : uri.getQueryParameters())
            query.query.emplace_back(std::move(parameter));
        if (readBody(request, query.body))
            answer_(query, bearerToken(request), answer);
        else
        {
            answer.status = 413;
            answer.body = R"({"error":"the body is larger than 64 KiB"})";
        }
        response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(answer.status));
        response.setContentType(answer.contentType);
        if (!answer.allow.empty())
            response.set("Allow", answer.allow);
        if (!answer.stream)
        {
            response.sendBuffer(answer.body.data(), answer.body.size());
            return;
        }
        response.setChunkedTransferEncoding(true);
        response.set("Cache-Control", "no-cache");
        std::ostream& out = response.send();
        out.flush();
        ChunkedStream stream(out, static_cast<Poco::Net::HTTPServerRequestImpl&>(request).socket().impl()->sockfd(), stopping_);
        answer.stream(stream);
    }

private:
    /// Reads the body, if the request says it has one (without a length or chunks, reading
    /// would wait for the client to close); false when it is larger than kMaxBody.
    static bool readBody(Poco::Net::HTTPServerRequest& request, std::string& body)
    {
        if (!request.hasContentLength() && !request.getChunkedTransferEncoding())
            return true;
        body.resize(kMaxBody + 1);
        request.stream().read(body.data(), static_cast<std::streamsize>(body.size()));
        body.resize(static_cast<std::size_t>(request.stream().gcount()));
        return body.size() <= kMaxBody;
    }

    /// The token of an "Authorization: Bearer TOKEN" header; empty without one.
    static std::string bearerToken(const Poco::Net::HTTPServerRequest& request)
    {
        const std::string authorization = request.get("Authorization", "");
        const std::string scheme = "Bearer ";
        return authorization.compare(0, scheme.size(), scheme) == 0 ? authorization.substr(scheme.size()) : std::string();
    }

    const AdminServer::Answer& answer_;
    const std::atomic<bool>& stopping_;
};

class AdminRequestHandlerFactory : public Poco::Net::HTTPRequestHandlerFactory
{
public:
    AdminRequestHandlerFactory(AdminServer::Answer answer, const std::atomic<bool>& stopping)
        : answer_(std::move(answer))
        , stopping_(stopping)
    {
    }

    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override
    {
        // Poco's HTTPServer takes ownership of the handler and deletes it after the request.
        return std::make_unique<AdminRequestHandler>(answer_, stopping_).release();
    }

private:
    AdminServer::Answer answer_;
    const std::atomic<bool>& stopping_;
};

} // namespace

AdminServer::AdminServer(const Poco::Net::ServerSocket& socket, Answer answer)
    : address_(socket.address())
    , socket_(socket)
    , threads_("admin", 1, kMaxThreads)
{
    auto params = Poco::makeAuto<Poco::Net::HTTPServerParams>();
    params->setMaxThreads(kMaxThreads);
    params->setMaxQueued(32);
    params->setKeepAlive(true);
    params->setTimeout(Poco::Timespan(10, 0));
    server_ = std::make_unique<Poco::Net::HTTPServer>(Poco::makeShared<AdminRequestHandlerFactory>(std::move(answer), stopping_), threads_,
                                                      socket, params);
}

void AdminServer::start()
{
    server_->start();
}

void AdminServer::stop()
{
    stopping_ = true; // streams end at their next look
    server_->stop();  // joins the thread that accepts
    socket_.close();  // so the port refuses at once
}

AdminServer::~AdminServer()
{
    stopping_ = true;
    server_->stopAll(true);
    server_.reset();
    threads_.joinAll();
}

} // namespace tthost
