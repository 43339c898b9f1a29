#include "AdminServer.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/URI.h>

namespace tthost
{
namespace
{

class AdminRequestHandler : public Poco::Net::HTTPRequestHandler
{
public:
    explicit AdminRequestHandler(const AdminServer::Answer& answer)
        : answer_(answer)
    {
    }

    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override
    {
        AdminResponse answer;
        if (request.getMethod() != Poco::Net::HTTPRequest::HTTP_GET)
        {
            answer.status = 405;
            answer.body = R"({"error":"only GET is served here"})";
            response.set("Allow", "GET");
        }
        else
        {
            const Poco::URI uri(request.getURI());
            AdminRequest query{uri.getPath(), {}};
            for (auto& parameter : uri.getQueryParameters())
                query.query.emplace_back(std::move(parameter));
            answer_(query, answer);
        }
        response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(answer.status));
        response.setContentType(answer.contentType);
        response.sendBuffer(answer.body.data(), answer.body.size());
    }

private:
    const AdminServer::Answer& answer_;
};

class AdminRequestHandlerFactory : public Poco::Net::HTTPRequestHandlerFactory
{
public:
    explicit AdminRequestHandlerFactory(AdminServer::Answer answer)
        : answer_(std::move(answer))
    {
    }

    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override
    {
        // Poco's HTTPServer takes ownership of the handler and deletes it after the request.
        return std::make_unique<AdminRequestHandler>(answer_).release();
    }

private:
    AdminServer::Answer answer_;
};

} // namespace

AdminServer::AdminServer(const Poco::Net::ServerSocket& socket, Answer answer)
    : address_(socket.address())
    , threads_("admin", 1, 4)
{
    auto params = Poco::makeAuto<Poco::Net::HTTPServerParams>();
    params->setMaxThreads(4);
    params->setMaxQueued(32);
    params->setKeepAlive(true);
    params->setTimeout(Poco::Timespan(10, 0));
    server_ = std::make_unique<Poco::Net::HTTPServer>(Poco::makeShared<AdminRequestHandlerFactory>(std::move(answer)), threads_, socket, params);
}

void AdminServer::start()
{
    server_->start();
}

AdminServer::~AdminServer()
{
    server_->stopAll(true);
    server_.reset();
    threads_.joinAll();
}

} // namespace tthost
