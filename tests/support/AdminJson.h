#pragma once

// What tthost's admin endpoint says, read as JSON by end-to-end tests: a GET's object, a fake
// msg server's entry in /peers, the traces running, a field of an answer. Each fails the
// running CppUnit test when the endpoint does not answer as it must.

#include "FakeMsgServer.h"

#include <Poco/JSON/Object.h>

#include <cstddef>
#include <cstdint>
#include <string>

namespace tttest
{

/// GET `path` of the admin endpoint at 127.0.0.1:`admin`: the answer must be 200 with a JSON
/// content type, and this is its object.
Poco::JSON::Object::Ptr getJson(std::uint16_t admin, const std::string& path);

/// The address the route server sees `fake` connect from (its socket's local address): its
/// remote_address in /peers, its ADDRESS in `ttctl peers`.
std::string addressOf(FakeMsgServer& fake);

/// The /peers entry of `fake`; fails the test when /peers does not list it.
Poco::JSON::Object::Ptr peerOf(std::uint16_t admin, FakeMsgServer& fake);

/// The number of traces GET /status lists as running.
std::size_t tracesListed(std::uint16_t admin);

/// The number `key` of `object` (an answer of the endpoint, or part of one); fails the test
/// when it is missing or no number (a string of digits is none).
std::uint64_t numberField(const Poco::JSON::Object::Ptr& object, const std::string& key);

/// The string `key` of `object`; fails the test when it is missing or no string.
std::string stringField(const Poco::JSON::Object::Ptr& object, const std::string& key);

} // namespace tttest
