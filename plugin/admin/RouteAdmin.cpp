#include "RouteAdmin.h"

#include "admin/TraceStream.h"
#include "wire/ProtocolIds.h"

#include "tthost/ConfigError.h"
#include "tthost/ConfigReader.h"

#include <Poco/DateTimeFormatter.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/NumberParser.h>
#include <Poco/Timestamp.h>
#include <Poco/Util/MapConfiguration.h>

#include <map>
#include <sstream>

namespace ttroute
{

const char* statusPage(); // admin/status.html, compiled in (EmbedFile.cmake)

namespace
{

using tthost::AdminRequest;
using tthost::AdminResponse;

/// The default and the longest length of a trace.
constexpr std::chrono::minutes kDefaultTraceLength{5};

std::string stringify(const Poco::JSON::Object& object)
{
    std::ostringstream out;
    object.stringify(out);
    return out.str();
}

/// Answers {"`key`": `value`}.
template <typename Value>
void jsonAnswer(AdminResponse& response, const std::string& key, const Value& value)
{
    Poco::JSON::Object answer;
    answer.set(key, value);
    response.body = stringify(answer);
}

void jsonError(AdminResponse& response, int status, const std::string& message)
{
    response.status = status;
    jsonAnswer(response, "error", message);
}

/// "2026-11-29T10:15:02.123Z".
std::string isoTime(std::chrono::system_clock::time_point when)
{
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(when.time_since_epoch()).count();
    return Poco::DateTimeFormatter::format(Poco::Timestamp(micros), "%Y-%m-%dT%H:%M:%S.%iZ");
}

/// A steady-clock time point on the wall clock, as of now.
std::chrono::system_clock::time_point wallTime(std::chrono::steady_clock::time_point when)
{
    return std::chrono::system_clock::now() -
           std::chrono::duration_cast<std::chrono::system_clock::duration>(std::chrono::steady_clock::now() - when);
}

/// {"windows": n, "mac": n, "ios": n, "android": n, "other": n}.
template <typename Count>
Poco::JSON::Object byClientType(const Count (&counts)[kClientTypeSlots])
{
    Poco::JSON::Object object;
    for (std::size_t slot = 0; slot < kClientTypeSlots; ++slot)
        object.set(clientTypeLabel(slot), static_cast<std::uint64_t>(counts[slot]));
    return object;
}

const char* standingName(PeerStanding standing)
{
    switch (standing)
    {
        case PeerStanding::Silent: return "silent";
        case PeerStanding::Chatty: return "chatty";
        case PeerStanding::Established: return "established";
    }
    return "unknown";
}

/// The value of query parameter `key`, or nullptr.
const std::string* parameter(const AdminRequest& request, const std::string& key)
{
    for (const auto& [name, value] : request.query)
        if (name == key)
            return &value;
    return nullptr;
}

} // namespace

RouteAdmin::RouteAdmin(RouteService& service, std::string version)
    : service_(service)
    , version_(std::move(version))
    , history_(service.counters())
    , sampler_([this](DeadlineWorker::Clock::time_point now) {
        history_.sample(std::chrono::system_clock::now());
        return now + std::chrono::seconds(1);
    })
{
}

bool RouteAdmin::handle(const AdminRequest& request, AdminResponse& response)
{
    using Answer = void (RouteAdmin::*)(const AdminRequest&, AdminResponse&);
    static constexpr struct
    {
        const char* path;
        const char* method;
        Answer answer;
    } kEndpoints[] = {
        {"/", "GET", &RouteAdmin::page},
        {"/status", "GET", &RouteAdmin::status},
        {"/peers", "GET", &RouteAdmin::peers},
        {"/presence", "GET", &RouteAdmin::presence},
        {"/history", "GET", &RouteAdmin::history},
        {"/disconnects", "GET", &RouteAdmin::disconnects},
        {"/trace", "GET", &RouteAdmin::trace},
        {"/drain", "POST", &RouteAdmin::drain},
    };
    for (const auto& endpoint : kEndpoints)
    {
        if (request.path != endpoint.path)
            continue;
        if (request.method == endpoint.method)
            (this->*endpoint.answer)(request, response);
        else
        {
            response.allow = endpoint.method;
            jsonError(response, 405, request.path + " takes " + endpoint.method + " only");
        }
        return true;
    }
    return false;
}

void RouteAdmin::page(const AdminRequest&, AdminResponse& response)
{
    response.contentType = "text/html; charset=utf-8";
    response.body = statusPage();
}

bool RouteAdmin::readIds(const AdminRequest& request, const std::string& key, std::size_t max, std::vector<std::uint32_t>& ids,
                         AdminResponse& response)
{
    for (const auto& [name, value] : request.query)
    {
        if (name != key)
            continue;
        // Digits only: Poco's parser would also take "1,000" (thousands separators), "+7" or " 7".
        unsigned id = 0;
        if (value.empty() || value.size() > 10 || value.find_first_not_of("0123456789") != std::string::npos ||
            !Poco::NumberParser::tryParseUnsigned(value, id))
        {
            jsonError(response, 400, "'" + value + "' is not a " + key + " id");
            return false;
        }
        ids.push_back(id);
    }
    if (ids.empty())
        jsonError(response, 400, "ask with ?" + key + "=ID");
    else if (ids.size() > max)
        jsonError(response, 400, "at most " + std::to_string(max) + " " + key + " ids at once");
    return !ids.empty() && ids.size() <= max;
}

void RouteAdmin::status(const AdminRequest&, AdminResponse& response)
{
    const PresenceTotals presence = service_.router().readPresence([](const PresenceRegistry& registry) { return registry.totals(); });
    const LiveSettings& settings = service_.settings();
    const auto grace = settings.peerLossGrace();
    Poco::JSON::Object status;
    status.set("version", version_);
    status.set("relay_mode", settings.relayMode() == RelayMode::Targeted ? "targeted" : "broadcast");
    status.set("announce_via_master", settings.announceViaMaster());
    status.set("peer_loss_grace", grace ? tthost::formatDuration(Poco::Timespan(grace->count() * 1000)) : std::string("never"));
    status.set("msg_servers", static_cast<std::uint64_t>(service_.connections().size()));
    status.set("online_users", static_cast<std::uint64_t>(presence.users));
    status.set("logins", byClientType(presence.logins));
    status.set("outbox_queued_bytes", static_cast<std::uint64_t>(service_.outboxGauge().total()));
    Poco::JSON::Array traces;
    for (const Tracer::Running& running : service_.tracer().running())
    {
        Poco::JSON::Object trace;
        Poco::JSON::Array users;
        for (std::uint32_t user : running.users)
            users.add(user);
        trace.set("users", users);
        trace.set("until", isoTime(running.until));
        traces.add(trace);
    }
    status.set("traces", traces);
    response.body = stringify(status);
}

void RouteAdmin::peers(const AdminRequest&, AdminResponse& response)
{
    Poco::JSON::Array list;
    for (const auto& peer : service_.connections())
    {
        const ConnectionPresence hosted =
            service_.router().readPresence([&](const PresenceRegistry& presence) { return presence.presenceOf(peer->id()); });
        Poco::JSON::Object item;
        item.set("id", peer->id());
        item.set("remote_address", peer->remote().toString());
        item.set("connected_since", isoTime(peer->connectedSince()));
        if (peer->role() == PeerRole::Unknown)
            item.set("master", Poco::Dynamic::Var());
        else
            item.set("master", peer->role() == PeerRole::Master);
        item.set("standing", standingName(peer->standing()));
        item.set("users_hosted", static_cast<std::uint64_t>(hosted.users));
        item.set("users", byClientType(hosted.usersByType));
        item.set("logins", byClientType(hosted.logins));
        item.set("pdus_in", peer->framesIn());
        item.set("bytes_in", peer->bytesIn());
        item.set("pdus_out", peer->outbox().framesOut());
        item.set("bytes_out", peer->outbox().bytesOut());
        item.set("queue_bytes", static_cast<std::uint64_t>(peer->outbox().queuedBytes()));
        item.set("last_receive", isoTime(wallTime(peer->lastReceive())));
        list.add(item);
    }
    jsonAnswer(response, "peers", list);
}

void RouteAdmin::presence(const AdminRequest& request, AdminResponse& response)
{
    std::vector<std::uint32_t> ids;
    if (!readIds(request, "user", 10000, ids, response))
        return;
    std::map<ConnectionId, std::string> addresses;
    for (const auto& peer : service_.connections())
        addresses[peer->id()] = peer->remote().toString();
    Poco::JSON::Array users;
    for (std::uint32_t id : ids)
    {
        const auto [online, logins] = service_.router().readPresence([id](const PresenceRegistry& presence) {
            return std::make_pair(presence.isOnline(id), presence.loginsOf(id));
        });
        Poco::JSON::Object user;
        user.set("user_id", id);
        // As a status query answers it (protocol.md §4): online only with a PC login somewhere.
        user.set("status", online ? "online" : "offline");
        std::map<ConnectionId, Poco::JSON::Array> byConnection;
        for (const Login& login : logins)
        {
            Poco::JSON::Object entry;
            entry.set("client_type", clientTypeLabel(clientTypeSlot(login.clientType)));
            entry.set("count", login.count);
            byConnection[login.connection].add(entry);
        }
        Poco::JSON::Array connections;
        for (const auto& [connection, entries] : byConnection)
        {
            Poco::JSON::Object item;
            item.set("connection", connection);
            const auto address = addresses.find(connection);
            item.set("remote_address", address == addresses.end() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(address->second));
            item.set("logins", entries);
            connections.add(item);
        }
        user.set("connections", connections);
        users.add(user);
    }
    jsonAnswer(response, "users", users);
}

void RouteAdmin::history(const AdminRequest& request, AdminResponse& response)
{
    std::int64_t since = 0;
    if (const std::string* value = parameter(request, "since"); value && !Poco::NumberParser::tryParse64(*value, since))
        return jsonError(response, 400, "'" + *value + "' is not a time in ms since the epoch");
    Poco::JSON::Array samples;
    for (const RateHistory::Sample& sample : history_.since(since))
    {
        Poco::JSON::Object pdus;
        for (std::size_t slot = 0; slot < kCommandSlots; ++slot)
            if (sample.pdus[slot] != 0)
                pdus.set(commandLabel(slot), sample.pdus[slot]);
        Poco::JSON::Object item;
        item.set("time", sample.timeMs);
        item.set("pdus", pdus);
        item.set("status_queries", sample.statusQueries);
        item.set("relayed", sample.relayed);
        item.set("notifications", sample.notifications);
        item.set("bytes_in", sample.bytesIn);
        item.set("bytes_out", sample.bytesOut);
        samples.add(item);
    }
    Poco::JSON::Object result;
    result.set("interval_seconds", 1);
    result.set("samples", samples);
    response.body = stringify(result);
}

void RouteAdmin::disconnects(const AdminRequest&, AdminResponse& response)
{
    Poco::JSON::Array list;
    for (const Disconnect& disconnect : service_.disconnects().recent())
    {
        Poco::JSON::Object item;
        item.set("at", isoTime(disconnect.at));
        item.set("id", disconnect.id);
        item.set("remote_address", disconnect.remoteAddress);
        item.set("reason", toString(disconnect.reason));
        item.set("detail", disconnect.detail);
        item.set("connected_seconds", static_cast<double>(disconnect.connected.count()) / 1000.0);
        item.set("users_hosted", static_cast<std::uint64_t>(disconnect.usersHosted));
        list.add(item);
    }
    jsonAnswer(response, "disconnects", list);
}

void RouteAdmin::trace(const AdminRequest& request, AdminResponse& response)
{
    std::vector<std::uint32_t> users;
    if (!readIds(request, "user", Tracer::kMaxUsers, users, response))
        return;
    Poco::Timespan length;
    try
    {
        // Read as the configuration reads durations: "30s", "5m", "90" (seconds).
        Poco::AutoPtr<Poco::Util::MapConfiguration> query(new Poco::Util::MapConfiguration);
        if (const std::string* value = parameter(request, "for"))
            query->setString("trace.for", *value);
        tthost::ConfigReader reader(*query, "trace");
        length = reader.getDuration("for", Poco::Timespan(kDefaultTraceLength.count() * 60, 0), Poco::Timespan(1, 0),
                                    Poco::Timespan(std::chrono::duration_cast<std::chrono::seconds>(Tracer::kMaxLength).count(), 0));
    }
    catch (const tthost::ConfigError& error)
    {
        return jsonError(response, 400, std::string("for: ") + error.what());
    }
    const bool events = request.accept.find("text/event-stream") != std::string::npos;
    auto subscription = service_.tracer().start(std::move(users), std::chrono::milliseconds(length.totalMilliseconds()));
    response.contentType = events ? "text/event-stream" : "text/plain; charset=utf-8";
    response.stream = [subscription, events, length](tthost::AdminStream& out) {
        TraceStream(*subscription, events, tthost::formatDuration(length)).follow(out);
    };
}

void RouteAdmin::drain(const AdminRequest& request, AdminResponse& response)
{
    std::vector<std::uint32_t> ids;
    if (!readIds(request, "peer", 1, ids, response))
        return;
    // Counted first: once asked to close, the connection may be gone at once.
    const std::size_t hosted =
        service_.router().readPresence([&](const PresenceRegistry& presence) { return presence.usersHostedBy(ids.front()); });
    const auto peer = service_.drain(ids.front());
    if (!peer)
        return jsonError(response, 404, "no msg server #" + std::to_string(ids.front()) + " is connected (see /peers)");
    Poco::JSON::Object drained;
    drained.set("id", peer->id());
    drained.set("remote_address", peer->remote().toString());
    drained.set("users_hosted", static_cast<std::uint64_t>(hosted));
    jsonAnswer(response, "drained", drained);
}

} // namespace ttroute
