#include "JsonFields.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <cmath>
#include <cstdio>
#include <sstream>

namespace ttctl
{

Poco::JSON::Object::Ptr JsonFields::parseObject(const std::string& body)
{
    try
    {
        Poco::JSON::Parser parser;
        const Poco::Dynamic::Var value = parser.parse(body);
        if (value.type() == typeid(Poco::JSON::Object::Ptr))
            return value.extract<Poco::JSON::Object::Ptr>();
    }
    catch (const Poco::Exception&)
    {
    }
    return nullptr;
}

Poco::JSON::Object::Ptr JsonFields::object(const Poco::JSON::Object::Ptr& object, const std::string& key)
{
    if (!object || !object->has(key))
        return nullptr;
    const Poco::Dynamic::Var value = object->get(key);
    return value.type() == typeid(Poco::JSON::Object::Ptr) ? value.extract<Poco::JSON::Object::Ptr>() : nullptr;
}

Poco::JSON::Array::Ptr JsonFields::array(const Poco::JSON::Object::Ptr& object, const std::string& key)
{
    if (!object || !object->has(key))
        return nullptr;
    const Poco::Dynamic::Var value = object->get(key);
    return value.type() == typeid(Poco::JSON::Array::Ptr) ? value.extract<Poco::JSON::Array::Ptr>() : nullptr;
}

Poco::JSON::Object::Ptr JsonFields::element(const Poco::JSON::Array::Ptr& array, std::size_t index)
{
    if (!array || index >= array->size())
        return nullptr;
    const Poco::Dynamic::Var value = array->get(static_cast<unsigned>(index));
    return value.type() == typeid(Poco::JSON::Object::Ptr) ? value.extract<Poco::JSON::Object::Ptr>() : nullptr;
}

std::optional<double> JsonFields::number(const Poco::JSON::Object::Ptr& object, const std::string& key)
{
    if (!object || !object->has(key))
        return std::nullopt;
    const Poco::Dynamic::Var value = object->get(key);
    if (!value.isNumeric() || value.isString() || value.isBoolean())
        return std::nullopt;
    return value.convert<double>();
}

std::string JsonFields::text(const Poco::JSON::Object::Ptr& object, const std::string& key)
{
    if (!object || !object->has(key))
        return {};
    return text(object->get(key));
}

std::string JsonFields::text(const Poco::Dynamic::Var& value)
{
    if (value.isEmpty())
        return {};
    if (value.isString())
        return value.extract<std::string>();
    if (value.isBoolean())
        return value.convert<bool>() ? "yes" : "no";
    if (value.isInteger())
        return value.convert<std::string>();
    if (value.isNumeric())
    {
        const double number = value.convert<double>();
        if (std::floor(number) == number && std::fabs(number) < 1e18)
            return std::to_string(static_cast<long long>(number));
        char text[32];
        std::snprintf(text, sizeof text, "%g", number);
        return text;
    }
    return stringify(value);
}

std::string JsonFields::stringify(const Poco::Dynamic::Var& value)
{
    std::ostringstream out;
    Poco::JSON::Stringifier::stringify(value, out);
    return out.str();
}

} // namespace ttctl
