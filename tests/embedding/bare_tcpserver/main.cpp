// A bare Poco::Net::TCPServer of one's own that serves the TeamTalk route server: the plugin
// loaded with Poco::ClassLoader by its bare name, started with settings of the program's own,
// and its connection factory mounted on the server. Stops on SIGTERM or SIGINT, in the order
// the plugin contract asks: stop accepting, stop the plugin, join the connection threads,
// destroy the plugin, unload its library.
#include <tthost/PluginLibrary.h>
#include <tthost/ServerPlugin.h>

#include <Poco/ClassLoader.h>
#include <Poco/Logger.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/TCPServer.h>
#include <Poco/ThreadPool.h>
#include <Poco/Util/MapConfiguration.h>

#include <csignal>
#include <iostream>
#include <memory>

int main()
{
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, nullptr); // before any thread: only sigwait() takes them

    const std::string library = tthost::locatePluginLibrary("ttroute"); // <libdir>/ttroute/libttroute.so
    tthost::checkPluginApi(library);
    Poco::ClassLoader<tthost::ServerPlugin> loader;
    loader.loadLibrary(library);
    std::unique_ptr<tthost::ServerPlugin> plugin(loader.create("RoutePlugin"));

    // The plugin's own keys, as in the route.* section of a properties file.
    auto settings = Poco::makeAuto<Poco::Util::MapConfiguration>();
    settings->setString("heartbeat_interval", "5s");
    plugin->start(*settings, Poco::Logger::get("route"));

    Poco::ThreadPool threads(1, 64);
    Poco::Net::TCPServer server(plugin->connectionFactory(), threads, Poco::Net::ServerSocket(Poco::Net::SocketAddress("127.0.0.1", 0)));
    if (auto filter = plugin->connectionFilter())
        server.setConnectionFilter(filter);
    server.start();
    std::cout << "route server listening on " << server.socket().address().toString() << std::endl;

    int signal = 0;
    sigwait(&stop, &signal);
    server.stop();
    plugin->stop(Poco::Timespan(2, 0));
    threads.joinAll();
    plugin.reset();
    loader.unloadLibrary(library);
    std::cout << "stopped" << std::endl;
    return 0;
}
