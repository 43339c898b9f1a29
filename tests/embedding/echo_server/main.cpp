// A Poco server application of its own, serving a line echo, that also serves the TeamTalk
// route server: addSubsystem(new tthost::PluginSubsystem) is all it takes, and its properties
// file carries the host.* and route.* keys next to its own (echo.listen). The admin endpoint
// and live reloads of the file are opt-in; this application takes both.
//
//   echo_server FILE      serve what FILE configures, until SIGTERM or SIGINT
#include <tthost/AdminSubsystem.h>
#include <tthost/ConfigFileWatcher.h>
#include <tthost/PluginSubsystem.h>

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Net/TCPServer.h>
#include <Poco/Net/TCPServerConnection.h>
#include <Poco/Net/TCPServerConnectionFactory.h>
#include <Poco/Util/ServerApplication.h>

#include <iostream>
#include <memory>

/// Sends back whatever it receives.
class EchoConnection : public Poco::Net::TCPServerConnection
{
public:
    using TCPServerConnection::TCPServerConnection;

    void run() override
    {
        char buffer[4096];
        for (int n; (n = socket().receiveBytes(buffer, sizeof buffer)) > 0;)
            socket().sendBytes(buffer, n);
    }
};

class EchoServer : public Poco::Util::ServerApplication
{
protected:
    void initialize(Application& self) override
    {
        const std::string file = argv().size() > 1 ? argv()[1] : "echo_server.properties";
        watcher_ = std::make_unique<tthost::ConfigFileWatcher>(*this, file);
        watcher_->load();
        addSubsystem(new tthost::PluginSubsystem);                // the TeamTalk route server
        addSubsystem(new tthost::AdminSubsystem(watcher_.get())); // opt-in: /metrics, /peers, ...
        ServerApplication::initialize(self);
    }

    int main(const ArgVec&) override
    {
        Poco::Net::TCPServer echo(new Poco::Net::TCPServerConnectionFactoryImpl<EchoConnection>(),
                                  Poco::Net::ServerSocket(Poco::Net::SocketAddress(config().getString("echo.listen"))));
        echo.start();
        logger().information("echo listening on " + echo.socket().address().toString());
        watcher_->start(); // opt-in: the file is re-read when it changes
        waitForTerminationRequest();
        watcher_->stop();
        getSubsystem<tthost::PluginSubsystem>().stop(); // drains the msg servers' connections
        echo.stop();
        return EXIT_OK;
    }

private:
    std::unique_ptr<tthost::ConfigFileWatcher> watcher_;
};

POCO_SERVER_MAIN(EchoServer)
