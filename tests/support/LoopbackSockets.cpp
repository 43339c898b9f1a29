#include "LoopbackSockets.h"

#include "HostProcess.h"

#include <Poco/Exception.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Timespan.h>

#include <sstream>

namespace tttest
{

std::uint16_t freePort()
{
    Poco::Net::ServerSocket socket;
    socket.bind(Poco::Net::SocketAddress("127.0.0.1", 0), false, false);
    const std::uint16_t port = socket.address().port();
    socket.close();
    return port;
}

bool connectionRefused(std::uint16_t port, std::string& what)
{
    try
    {
        Poco::Net::StreamSocket socket;
        socket.connect(Poco::Net::SocketAddress("127.0.0.1", port), Poco::Timespan(3, 0));
        what = "the connection was accepted";
        return false;
    }
    catch (const Poco::Net::ConnectionRefusedException&)
    {
        return true;
    }
    catch (const Poco::Exception& error)
    {
        what = error.displayText();
        return false;
    }
}

std::size_t maxSendBuffer()
{
    std::istringstream in(readFile("/proc/sys/net/ipv4/tcp_wmem"));
    std::size_t low = 0, initial = 0, max = 0;
    in >> low >> initial >> max;
    return max > 0 ? max : 4u << 20;
}

} // namespace tttest
