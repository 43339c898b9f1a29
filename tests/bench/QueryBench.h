#pragma once

#include "LatencyHistogram.h"

#include <Poco/Net/SocketAddress.h>

#include <cstdint>

namespace ttbench
{

/// How the status-query load runs: `users` registered (every even id online, odd ones not),
/// then `connections` fake msg servers each keep `window` queries of `ids` ids outstanding.
struct QueryOptions
{
    Poco::Net::SocketAddress server;
    std::uint32_t users = 100000;
    int connections = 4;
    std::uint32_t ids = 100;
    std::uint32_t window = 64;
    double seconds = 5;
};

/// What a query run measured.
struct QueryResult
{
    double seconds = 0;
    std::uint64_t queries = 0;      ///< answers received and checked
    std::uint64_t wrongAnswers = 0; ///< answers with a wrong id, status, order or requester
    LatencyHistogram latency;       ///< from sending a query to its answer
};

/// Registers the users, runs the query load against `options.server`, and checks every answer.
QueryResult runQuery(const QueryOptions& options);

} // namespace ttbench
