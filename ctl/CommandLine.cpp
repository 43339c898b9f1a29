#include "CommandLine.h"

#include "CtlError.h"

namespace ttctl
{

CommandLine CommandLine::parse(int argc, const char* const* argv)
{
    CommandLine line;
    bool optionsEnded = false;
    for (int i = 1; i < argc; ++i)
    {
        const std::string arg = argv[i];
        if (!optionsEnded && arg == "--")
        {
            optionsEnded = true;
            continue;
        }
        if (optionsEnded || arg.size() < 2 || arg[0] != '-')
        {
            if (line.command_.empty())
                line.command_ = arg;
            else
                line.arguments_.push_back(arg);
            continue;
        }
        const std::size_t equals = arg.find('=');
        const std::string name = arg.substr(0, equals);
        std::optional<std::string> value;
        if (equals != std::string::npos)
            value = arg.substr(equals + 1);
        else if (i + 1 < argc)
            value = argv[i + 1];
        bool usedValue = false;
        line.option(name, value, usedValue);
        if (usedValue && equals == std::string::npos)
            ++i;
        else if (!usedValue && equals != std::string::npos)
            throw CtlError::usage(name + " takes no value");
    }
    if (line.command_ == "help")
    {
        line.help_ = true;
        line.command_.clear();
        line.arguments_.clear();
    }
    line.check();
    return line;
}

void CommandLine::option(const std::string& name, const std::optional<std::string>& value, bool& usedValue)
{
    struct Valued
    {
        const char* name;
        std::optional<std::string>* target;
        const char* what;
    };
    const Valued valued[] = {{"--admin", &admin_, "HOST:PORT"},
                             {"--config", &config_, "FILE"},
                             {"--token", &token_, "TOKEN"},
                             {"--for", &for_, "DURATION"}};
    for (const Valued& option : valued)
        if (name == option.name)
        {
            if (!value)
                throw CtlError::usage(name + " needs a value (" + option.what + ")");
            *option.target = *value;
            usedValue = true;
            return;
        }
    if (name == "--json")
        json_ = true;
    else if (name == "--help" || name == "-h")
        help_ = true;
    else if (name == "--version")
        version_ = true;
    else
        throw CtlError::usage("unknown option '" + name + "'");
}

void CommandLine::check() const
{
    if (help_ || version_)
        return;
    if (command_.empty())
        throw CtlError::usage("no command given");
    if (for_ && command_ != "trace")
        throw CtlError::usage("--for applies to trace only");
}

} // namespace ttctl
