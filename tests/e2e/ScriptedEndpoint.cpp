#include "ScriptedEndpoint.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/URI.h>

/// Answers one request from the owner's answers, or drops it when the owner says so.
class ScriptedEndpoint::Handler : public Poco::Net::HTTPRequestHandler
{
public:
    explicit Handler(ScriptedEndpoint& owner)
        : owner_(owner)
    {
    }

    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override
    {
        const std::string path = Poco::URI(request.getURI()).getPath();
        if (owner_.failsNow(path))
        {
            // No answer at all: the client sees the connection close, as when tthost is gone.
            static_cast<Poco::Net::HTTPServerRequestImpl&>(request).socket().shutdown();
            return;
        }
        const auto found = owner_.answers_.find(path);
        const tttest::HttpReply reply =
            found != owner_.answers_.end() ? found->second : tttest::HttpReply{404, "application/json", "", R"({"error":"no"})"};
        response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(reply.status));
        response.setContentType(reply.contentType);
        response.sendBuffer(reply.body.data(), reply.body.size());
    }

private:
    ScriptedEndpoint& owner_;
};

/// A Handler for each request.
class ScriptedEndpoint::Factory : public Poco::Net::HTTPRequestHandlerFactory
{
public:
    explicit Factory(ScriptedEndpoint& owner)
        : owner_(owner)
    {
    }

    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override
    {
        // Poco's server takes ownership of the handler it is given.
        return std::make_unique<Handler>(owner_).release();
    }

private:
    ScriptedEndpoint& owner_;
};

ScriptedEndpoint::ScriptedEndpoint(Answers answers, std::function<bool(int)> fails)
    : answers_(std::move(answers))
    , fails_(std::move(fails))
    , socket_(Poco::Net::SocketAddress("127.0.0.1", 0))
{
    auto params = Poco::makeAuto<Poco::Net::HTTPServerParams>();
    params->setMaxThreads(8);
    params->setKeepAlive(false);
    server_ = std::make_unique<Poco::Net::HTTPServer>(Poco::makeShared<Factory>(*this), socket_, params);
    server_->start();
}

ScriptedEndpoint::~ScriptedEndpoint()
{
    server_->stopAll(true);
}

int ScriptedEndpoint::failed() const
{
    std::lock_guard lock(mutex_);
    return failed_;
}

bool ScriptedEndpoint::failsNow(const std::string& path)
{
    if (path == "/")
        return false;
    std::lock_guard lock(mutex_);
    if (path == "/host")
        ++refresh_;
    const bool fail = fails_(refresh_);
    failed_ += fail ? 1 : 0;
    return fail;
}
