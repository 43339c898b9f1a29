// Runs every CppUnit suite registered in this executable, or the one test or suite named as
// the argument (e.g. "FaultIdleTimeoutTest::tricklingIntoAHugeFrameIsClosedByTheIdleTimeout");
// the exit status tells ctest the result.
#include <Poco/Exception.h>

#include <cppunit/BriefTestProgressListener.h>
#include <cppunit/CompilerOutputter.h>
#include <cppunit/Message.h>
#include <cppunit/Protector.h>
#include <cppunit/TestResult.h>
#include <cppunit/TestResultCollector.h>
#include <cppunit/TestRunner.h>
#include <cppunit/extensions/TestFactoryRegistry.h>

#include <csignal>
#include <iostream>

namespace
{

/// Reports an exception of Poco's with its whole text: CppUnit's own report says only what()
/// of it, the exception's class ("Connection reset by peer"), not which socket or why.
class PocoExceptionProtector : public CppUnit::Protector
{
public:
    bool protect(const CppUnit::Functor& functor, const CppUnit::ProtectorContext& context) override
    {
        try
        {
            return functor();
        }
        catch (const Poco::Exception& error)
        {
            reportError(context, CppUnit::Message("uncaught Poco exception", error.displayText()));
        }
        return false;
    }
};

} // namespace

int main(int argc, char** argv)
{
    // Tests write to sockets the server may have closed: that must be an error, not a signal.
    std::signal(SIGPIPE, SIG_IGN);
    CppUnit::TestResult controller;
    controller.pushProtector(new PocoExceptionProtector); // the result owns its protectors
    CppUnit::TestResultCollector collector;
    CppUnit::BriefTestProgressListener progress;
    controller.addListener(&collector);
    controller.addListener(&progress);
    CppUnit::TestRunner runner;
    runner.addTest(CppUnit::TestFactoryRegistry::getRegistry().makeTest());
    runner.run(controller, argc > 1 ? argv[1] : "");
    CppUnit::CompilerOutputter(&collector, std::cerr).write();
    return collector.wasSuccessful() ? 0 : 1;
}
