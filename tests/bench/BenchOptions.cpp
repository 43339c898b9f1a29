#include "BenchOptions.h"

#include "BenchSocket.h"

#include <algorithm>
#include <map>
#include <stdexcept>

namespace ttbench
{
namespace
{

/// Reads `text` with `parse` (std::stol or std::stod taking the count of characters it used)
/// into `parsed`; returns how many characters it used, 0 when it found no number at all.
template <typename Number, typename Parse>
std::size_t readNumber(const std::string& text, Parse parse, Number& parsed)
{
    try
    {
        std::size_t used = 0;
        parsed = parse(text, &used);
        return used;
    }
    catch (const std::exception&)
    {
        return 0;
    }
}

std::vector<int> counts(const std::string& key, const std::string& value)
{
    std::vector<int> list;
    std::size_t begin = 0;
    while (begin <= value.size())
    {
        const std::size_t comma = std::min(value.find(',', begin), value.size());
        const std::string item = value.substr(begin, comma - begin);
        long parsed = 0;
        const std::size_t used = readNumber(item, [](const std::string& text, std::size_t* at) { return std::stol(text, at); }, parsed);
        if (item.empty() || used != item.size() || parsed < 2 || parsed > 900000)
            throw std::invalid_argument("--" + key + " wants a comma-separated list of counts from 2 to 900000, not '" + value + "'");
        list.push_back(static_cast<int>(parsed));
        begin = comma + 1;
    }
    return list;
}

/// `value` as a non-negative number (an empty one reads as 0: stod uses none of it).
double number(const std::string& key, const std::string& value)
{
    double parsed = 0;
    const std::size_t used = readNumber(value, [](const std::string& text, std::size_t* at) { return std::stod(text, at); }, parsed);
    if (used != value.size() || parsed < 0)
        throw std::invalid_argument("--" + key + " wants a non-negative number, not '" + value + "'");
    return parsed;
}

} // namespace

BenchOptions BenchOptions::parse(int argc, char** argv)
{
    BenchOptions options;
    std::string host = "127.0.0.1";
    int port = -1;
    int targetedPort = -1;
    for (int i = 1; i < argc; ++i)
    {
        std::string arg = argv[i];
        if (arg == "-h" || arg == "--help")
        {
            options.help = true;
            return options;
        }
        if (arg.rfind("--", 0) != 0)
        {
            if (!options.mode.empty())
                throw std::invalid_argument("one mode only, not '" + options.mode + "' and '" + arg + "'");
            options.mode = arg;
            continue;
        }
        std::string key = arg.substr(2);
        std::string value;
        const auto equals = key.find('=');
        if (equals != std::string::npos)
        {
            value = key.substr(equals + 1);
            key = key.substr(0, equals);
        }
        else if (key != "baseline" && key != "targeted")
        {
            if (i + 1 >= argc)
                throw std::invalid_argument("--" + key + " wants a value");
            value = argv[++i];
        }
        options.given.insert(key);
        if (key == "host")
            host = value;
        else if (key == "port")
            port = static_cast<int>(number(key, value));
        else if (key == "server-pid")
            options.serverPid = static_cast<pid_t>(number(key, value));
        else if (key == "targeted-port")
            targetedPort = static_cast<int>(number(key, value));
        else if (key == "targeted-server-pid")
            options.targetedServerPid = static_cast<pid_t>(number(key, value));
        else if (key == "runs")
            options.runs = std::max(1, static_cast<int>(number(key, value)));
        else if (key == "baseline")
            options.baseline = true;
        else if (key == "duration")
            options.seconds = number(key, value);
        else if (key == "senders")
            options.senders = std::max(1, static_cast<int>(number(key, value)));
        else if (key == "receivers")
            options.receivers = std::max(1, static_cast<int>(number(key, value)));
        else if (key == "body")
            options.bodyBytes = static_cast<std::size_t>(number(key, value));
        else if (key == "window")
            options.window = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(number(key, value)));
        else if (key == "batch")
            options.batch = std::max<std::uint32_t>(1, static_cast<std::uint32_t>(number(key, value)));
        else if (key == "rate")
            options.rate = number(key, value);
        else if (key == "targeted")
            options.targeted = true;
        else if (key == "users")
            options.users = static_cast<std::uint32_t>(number(key, value));
        else if (key == "connections")
            options.connections = std::max(1, static_cast<int>(number(key, value)));
        else if (key == "ids")
            options.ids = static_cast<std::uint32_t>(number(key, value));
        else if (key == "cycles")
            options.cycles = static_cast<std::uint32_t>(number(key, value));
        else if (key == "grace")
            options.graceSeconds = value == "never" ? -1 : number(key, value);
        else if (key == "servers")
            options.servers = counts(key, value);
        else if (key == "query-rate")
            options.queryRate = number(key, value);
        else
            throw std::invalid_argument("unknown option --" + key + " (see --help)");
    }
    if (options.mode.empty())
        throw std::invalid_argument("which mode? relay, modes, query, presence, churn, soak, scale or storm (see --help)");
    if (options.window == 0)
        options.window = options.mode == "query" ? 64 : 512;
    if (port >= 0)
    {
        options.server = Poco::Net::SocketAddress(host, static_cast<std::uint16_t>(port));
        requireLoopback(options.server);
        options.hasServer = true;
    }
    if (targetedPort >= 0)
    {
        options.targetedServer = Poco::Net::SocketAddress(host, static_cast<std::uint16_t>(targetedPort));
        requireLoopback(options.targetedServer);
        options.hasTargetedServer = true;
    }
    return options;
}

std::string BenchOptions::usage()
{
    return R"(usage: ttbench MODE --port=PORT [--host=127.0.0.1] [options]

Acts as fake TeamTalk msg servers against a route server on this machine (loopback only)
and reports throughput, latency percentiles, losses, and with --server-pid the server's CPU
seconds per million PDUs and its memory.

Modes:
  relay     S senders blast MSG_DATA (batched writes, a bounded window in flight), R receivers
            count every PDU, check each sender's order and time it from the send stamp.
            --senders=2 --receivers=2 --body=200 --window=512 --batch=64 --rate=0 (PDUs/s, 0: no pacing)
            --targeted (PDUs reach their addressee only: for route.relay.mode = targeted)
            --baseline: also measure, in the same run, the minimal epoll forwarder that
            marks this machine's limit, and print the ratio; without --port, that alone
  modes     the relay load against two servers, one in each relay mode, side by side: --port
            in broadcast mode, --targeted-port in targeted mode (--server-pid and
            --targeted-server-pid for their CPU); defaults to 4 senders x 4 receivers, so 8 msg
            servers with the users spread evenly; reports messages/s (each reaching its
            addressee), PDUs delivered/s (every copy), and CPU per million of each
  query     --users=100000 registered; --connections=4 keep --window=64 queries of --ids=100
            ids outstanding; every answer is checked. --baseline: also measure the relay
            baseline forwarder first, as a yardstick of the machine's speed in this run
  presence  registers --users in bulk (ONLINE_USER_INFO), confirms them, reports the time and
            the server's RSS growth (with --server-pid); then drops the connection and
            measures how long the server takes to forget them, to announce them offline
            once the server's route.peer_loss_grace is over (--grace=20, in seconds, or
            never), and to announce them online again when another connection lists them,
            and how long routing on another connection stalls meanwhile
  churn     --cycles=1000 of connect, register --users=10 users, query, close
  soak      the relay load (its options apply) with every PDU compared byte for byte, while
            another connection logs --users=1000 users in and out and another queries them;
            fails on any loss, reordering, corruption or wrong answer (e.g. --duration=600)
  scale     relay and status queries with N msg servers connected, for each N of
            --servers=10,100,1000, against two servers side by side as modes does (--port in
            broadcast mode, --targeted-port in targeted mode, their pids for CPU). Each msg
            server hosts one user; --senders=4 of them send MSG_DATA (--body, --window,
            --batch), each message to the next other msg server's user in turn, for
            --duration=5 s; then --connections=4 of them query --ids=100 ids (16 outstanding
            each) for a fifth of that. Every connection is read (by epoll threads) and every
            copy checked: in targeted mode each message reaches its addressee exactly once, in
            broadcast mode every other msg server. Reports per N and mode messages/s, PDUs
            delivered/s, relay and query p99, and the server's CPU seconds per million
            delivered PDUs, messages and queries; --baseline: before each mode, the in-process
            forwarder with the same N connections and the same traffic, forwarding as that
            mode does (broadcast: every read's frames to every other connection; targeted:
            each message only to the connection that listed its addressee, the frames of a
            read gathered into one write per destination), its PDUs per write, and the
            server's throughput and CPU per delivered PDU as ratios to it; at the end, how CPU
            per delivered PDU grows with N for each. The servers must serve N msg servers at
            once (route.max_connections, host.route.max_threads)
  storm     --senders=2 msg servers relay --rate=1000 messages/s (paced) to --receivers=2 and
            one more asks --query-rate=500 status queries/s (--ids=100); after --duration=5 s,
            --connections=2000 new connections arrive within about a second (non-blocking
            connects; the descriptor limit is raised to the hard limit), each sending one
            status query and waiting for its answer (served) or for the server closing it
            (refused); fails if any has neither after 10 s. Then all of them close at once.
            Reports served, refused and hung, the longest time from connect to answer or
            close, the established connections' relay and query latency before, during, while
            they close and while the server's threads for them end, and any loss (there must
            be none); with --server-pid its descriptors, threads and RSS before, with the
            storm open, when the descriptors are back and once the threads are back too;
            fails if the descriptors are not back 10 s after the close or the threads 15 s
            after it. --targeted when the server relays in targeted mode

Common: --duration=5 (seconds, relay and query) --runs=1 (median of several) --server-pid=PID

Exit status: 0 when nothing was lost and every answer was right; 1 when something was (the
report says what) or when a run failed, e.g. the route server closed a connection (one line
on stderr names the mode, the connection and what happened); 2 for a bad command line.
)";
}

} // namespace ttbench
