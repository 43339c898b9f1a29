#include "ServedPluginFixture.h"

#include <cppunit/TestAssert.h>

#include <string>
#include <utility>

namespace tttest
{

ServedPluginFixture::ServedPluginFixture(std::string pluginPath)
    : pluginPath_(std::move(pluginPath))
{
}

void ServedPluginFixture::tearDown()
{
    served_.reset();
}

void ServedPluginFixture::start(ServedPlugin::Settings settings)
{
    served_.reset();
    settings.insert(settings.begin(), {"peer_loss_grace", "0"});
    served_ = std::make_unique<ServedPlugin>(pluginPath_, settings);
}

ServedPlugin& ServedPluginFixture::served() const
{
    CPPUNIT_ASSERT_MESSAGE("no plugin served: the test calls start() first", served_ != nullptr);
    return *served_;
}

void ServedPluginFixture::startWhileKeepersKeepTime(std::chrono::milliseconds idleTimeout, std::size_t keepers,
                                                    const ServedPlugin::Settings& settings,
                                                    const std::function<void(std::vector<Lifeline>&)>& scenario)
{
    ServedPlugin::Settings withTimeout = settings;
    withTimeout.emplace_back("idle_timeout", std::to_string(idleTimeout.count()) + "ms");
    runWhileKeepersKeepTime(
        idleTimeout, keepers,
        [&](std::vector<Lifeline>& keeperLives) {
            start(withTimeout);
            scenario(keeperLives);
        },
        [&] { return served_ ? served_->log() : std::string("(no plugin served)"); });
}

} // namespace tttest
