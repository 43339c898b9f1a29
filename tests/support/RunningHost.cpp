#include "RunningHost.h"

#include "LogLines.h"

#include <cppunit/extensions/HelperMacros.h>

#include <regex>
#include <thread>

namespace tttest
{

RunningHost::RunningHost(const std::string& properties, std::vector<std::string> args, const std::string& configName)
    : configName_(configName)
{
    dir_.write(configName_, properties);
    process_ = std::make_unique<HostProcess>(TTHOST_PATH, args, dir_.path(), dir_.path() + "/tthost.log");
}

std::string RunningHost::configPath() const
{
    return dir_.path() + "/" + configName_;
}

std::string RunningHost::log() const
{
    return process_->output();
}

std::size_t RunningHost::mark() const
{
    return log().size();
}

std::string RunningHost::waitForLine(std::size_t from, const std::vector<std::string>& parts, std::chrono::milliseconds timeout) const
{
    return tttest::waitForLine([this] { return log(); }, from, parts, timeout);
}

void RunningHost::rewrite(const std::string& properties) const
{
    dir_.write(configName_, properties);
}

std::uint16_t RunningHost::port(std::size_t nth)
{
    const std::uint16_t port = process_->waitForListenPort(nth);
    CPPUNIT_ASSERT_MESSAGE(log(), port != 0 && port != 8200);
    return port;
}

std::uint16_t RunningHost::adminPort(std::size_t nth) const
{
    static const std::regex line("admin endpoint at http://127\\.0\\.0\\.1:([0-9]+)/");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    for (;;)
    {
        const std::string text = log();
        std::size_t index = 0;
        for (auto it = std::sregex_iterator(text.begin(), text.end(), line); it != std::sregex_iterator(); ++it, ++index)
            if (index == nth)
            {
                const auto port = static_cast<std::uint16_t>(std::stoi((*it)[1]));
                CPPUNIT_ASSERT_MESSAGE(text, port != 0 && port != 8280);
                return port;
            }
        if (std::chrono::steady_clock::now() >= deadline)
            CPPUNIT_FAIL("no admin endpoint line #" + std::to_string(nth) + " within 10 s; the log:\n" + text);
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

int RunningHost::stopWith(int signal)
{
    process_->signal(signal);
    return process_->wait(std::chrono::seconds(15));
}

} // namespace tttest
