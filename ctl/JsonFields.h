#pragma once

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <optional>
#include <string>

namespace ttctl
{

/// Reading the admin endpoint's JSON leniently, for tables: a field that is missing, null or
/// of another type reads as nothing (an empty text, no number, a null pointer), so an answer
/// from a server older or newer than ttctl still prints what it has. Static only.
class JsonFields
{
public:
    JsonFields() = delete;

    /// `body` parsed as a JSON object; a null pointer when it is not one.
    static Poco::JSON::Object::Ptr parseObject(const std::string& body);

    /// The object at `key` of `object`, or a null pointer.
    static Poco::JSON::Object::Ptr object(const Poco::JSON::Object::Ptr& object, const std::string& key);

    /// The array at `key` of `object`, or a null pointer.
    static Poco::JSON::Array::Ptr array(const Poco::JSON::Object::Ptr& object, const std::string& key);

    /// The element `index` of `array` as an object, or a null pointer.
    static Poco::JSON::Object::Ptr element(const Poco::JSON::Array::Ptr& array, std::size_t index);

    /// The number at `key` of `object`, if it is one.
    static std::optional<double> number(const Poco::JSON::Object::Ptr& object, const std::string& key);

    /// The value at `key` of `object` as text (see the other text()); empty when missing or null.
    static std::string text(const Poco::JSON::Object::Ptr& object, const std::string& key);

    /// `value` as text: a string as it is, a whole number without decimals, a boolean as
    /// "yes" or "no", null as empty, an object or array as JSON.
    static std::string text(const Poco::Dynamic::Var& value);

    /// `value` as compact JSON.
    static std::string stringify(const Poco::Dynamic::Var& value);
};

} // namespace ttctl
