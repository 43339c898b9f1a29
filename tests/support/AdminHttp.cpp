#include "AdminHttp.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/NumberParser.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>

#include <cppunit/TestAssert.h>

#include <poll.h>

namespace tttest
{

HttpReply http(std::uint16_t port, const std::string& path, const std::string& method, const std::map<std::string, std::string>& headers)
{
    Poco::Net::HTTPClientSession session("127.0.0.1", port);
    session.setTimeout(Poco::Timespan(10, 0));
    Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    for (const auto& [name, value] : headers)
        request.set(name, value);
    if (method != Poco::Net::HTTPRequest::HTTP_GET)
        request.setContentLength(0);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    HttpReply reply;
    reply.status = static_cast<int>(response.getStatus());
    reply.contentType = response.getContentType();
    reply.allow = response.get("Allow", "");
    Poco::StreamCopier::copyToString(in, reply.body);
    return reply;
}

std::string describe(const std::string& path, const HttpReply& reply)
{
    return path + " -> " + std::to_string(reply.status) + " [" + reply.contentType + "] " + reply.body;
}

Poco::JSON::Object::Ptr jsonObject(const std::string& body)
{
    try
    {
        Poco::JSON::Parser parser;
        const Poco::Dynamic::Var result = parser.parse(body);
        auto object = result.extract<Poco::JSON::Object::Ptr>();
        if (object)
            return object;
    }
    catch (const Poco::Exception& error)
    {
        CPPUNIT_FAIL("not a JSON object (" + error.displayText() + "): " + body);
    }
    CPPUNIT_FAIL("not a JSON object: " + body);
    return nullptr;
}

std::map<std::string, Poco::JSON::Object::Ptr> peersByAddress(std::uint16_t port)
{
    const HttpReply reply = http(port, "/peers");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(describe("/peers", reply), 200, reply.status);
    CPPUNIT_ASSERT_MESSAGE(describe("/peers", reply), reply.contentType.rfind("application/json", 0) == 0);
    const auto object = jsonObject(reply.body);
    CPPUNIT_ASSERT_MESSAGE(reply.body, object->has("peers") && object->isArray("peers"));
    const auto list = object->getArray("peers");
    std::map<std::string, Poco::JSON::Object::Ptr> peers;
    for (std::size_t i = 0; i < list->size(); ++i)
    {
        CPPUNIT_ASSERT_MESSAGE(reply.body, list->isObject(i));
        const auto peer = list->getObject(static_cast<unsigned>(i));
        CPPUNIT_ASSERT_MESSAGE(reply.body, peer->has("remote_address") && peer->get("remote_address").isString());
        CPPUNIT_ASSERT_MESSAGE("two peers with one address: " + reply.body,
                               peers.emplace(peer->getValue<std::string>("remote_address"), peer).second);
    }
    return peers;
}

HttpStream::HttpStream(std::uint16_t port, const std::string& path, const std::string& accept)
    : socket_(Poco::Net::SocketAddress("127.0.0.1", port))
{
    std::string request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    if (!accept.empty())
        request += "Accept: " + accept + "\r\n";
    request += "\r\n";
    socket_.sendBytes(request.data(), static_cast<int>(request.size()));
}

bool HttpStream::readSome(std::chrono::steady_clock::time_point deadline)
{
    const auto now = std::chrono::steady_clock::now();
    if (ended_ || now >= deadline)
        return false;
    pollfd events{socket_.impl()->sockfd(), POLLIN, 0};
    const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count() + 1;
    if (::poll(&events, 1, static_cast<int>(wait)) <= 0)
        return false;
    char buffer[16384];
    const int received = socket_.receiveBytes(buffer, sizeof buffer);
    if (received <= 0)
        return false;
    raw_.append(buffer, static_cast<std::size_t>(received));
    parse();
    return true;
}

void HttpStream::parse()
{
    if (!headersDone_)
    {
        const std::size_t end = raw_.find("\r\n\r\n");
        if (end == std::string::npos)
            return;
        const std::string head = raw_.substr(0, end);
        raw_.erase(0, end + 4);
        headersDone_ = true;
        status_ = Poco::NumberParser::parse(head.substr(9, 3));
        const std::string lower = Poco::toLower(head);
        const std::size_t type = lower.find("\r\ncontent-type: ");
        if (type != std::string::npos)
            contentType_ = head.substr(type + 16, head.find("\r\n", type + 2) - type - 16);
    }
    // Chunks: "SIZE-IN-HEX\r\nDATA\r\n", the last one of size 0.
    for (;;)
    {
        const std::size_t line = raw_.find("\r\n");
        if (line == std::string::npos)
            return;
        const std::size_t size = static_cast<std::size_t>(Poco::NumberParser::parseHex(raw_.substr(0, line)));
        if (raw_.size() < line + 2 + size + 2)
            return;
        if (size == 0)
        {
            ended_ = true;
            return;
        }
        body_.append(raw_, line + 2, size);
        raw_.erase(0, line + 2 + size + 2);
    }
}

bool HttpStream::waitFor(const std::string& text, std::size_t from, std::chrono::milliseconds timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (body_.find(text, from) == std::string::npos)
        if (!readSome(deadline))
            return false;
    return true;
}

bool HttpStream::waitForEnd(std::chrono::milliseconds timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!ended_)
        if (!readSome(deadline))
            return false;
    return true;
}

} // namespace tttest
