// integration_faults, readers that stop reading: a peer whose outbox passes max_outbox_bytes
// is dropped alone, also among several flooders, and every other peer gets every frame and
// hears the loss once (Faults.h).
#include "FakeMsgServer.h"
#include "Faults.h"
#include "FrameAssertions.h"
#include "LossAnnouncements.h"
#include "MsgServerChecks.h"
#include "ProtocolConstants.h"
#include "WireFrames.h"

#include <cppunit/extensions/HelperMacros.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

using namespace tttest;
using namespace tttest::protocol;
using namespace std::chrono_literals;

namespace
{

/// The next MSG_DATA on `fake`; other frames that come first are appended to `others`.
WireFrame nextMsgData(FakeMsgServer& fake, std::vector<WireFrame>& others)
{
    for (;;)
    {
        WireFrame frame = fake.receive(10s);
        if (frame.commandId == kMsgData)
            return frame;
        others.push_back(std::move(frame));
    }
}

} // namespace

class FaultSlowReaderTest : public Faults
{
    CPPUNIT_TEST_SUITE(FaultSlowReaderTest);
    CPPUNIT_TEST(peerOverMaxOutboxBytesIsDroppedAlone);
    CPPUNIT_TEST(nonReaderAmongSeveralFloodersIsDroppedAndTheOthersGetEverything);
    CPPUNIT_TEST_SUITE_END();

public:
    void peerOverMaxOutboxBytesIsDroppedAlone()
    {
        start({{"max_pdu_bytes", "64K"}, {"max_outbox_bytes", "1100K"}});
        auto [sender, slow, reader1, reader2] = admitMsgServers<4>();
        slow->send(tttest::onlineUserInfo({{5001, kOnline, kWindows}}));
        assertNothing(slow->sync(), "slow");
        // From here on slow never reads.
        std::vector<std::string> sent;
        std::vector<WireFrame> others1;
        std::vector<WireFrame> others2;
        bool dropped = false;
        int after = 0;
        for (std::uint32_t i = 0; i < 5000 && after < 20; ++i)
        {
            sent.push_back(tttest::msgData(5002, 5003, i, patternedBytes(60 * 1024, i)));
            sender->send(sent.back());
            assertSameBytes(sent.back(), nextMsgData(*reader1, others1).bytes, "reader1 frame " + std::to_string(i));
            assertSameBytes(sent.back(), nextMsgData(*reader2, others2).bytes, "reader2 frame " + std::to_string(i));
            dropped = dropped || served().log().find("queue_overflow") != std::string::npos;
            after += dropped ? 1 : 0;
        }
        CPPUNIT_ASSERT_MESSAGE(served().log(), dropped);
        CPPUNIT_ASSERT(slow->waitClosed(10s));
        const std::string line = served().waitForLine({slow->logName(), "disconnected (queue_overflow)"});
        CPPUNIT_ASSERT_MESSAGE(served().log(), line.find("over max_outbox_bytes 1126400: it stopped reading") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(served().log(), std::size_t(1), occurrences(served().log(), "disconnected ("));

        // The readers got every frame (checked above) and slow's user announced offline once.
        const auto rest1 = reader1->sync();
        const auto rest2 = reader2->sync();
        others1.insert(others1.end(), rest1.begin(), rest1.end());
        others2.insert(others2.end(), rest2.begin(), rest2.end());
        assertOfflineAnnouncements(others1, {5001}, {}, "reader1");
        assertOfflineAnnouncements(others2, {5001}, {}, "reader2");
        assertOfflineAnnouncements(sender->sync(), {5001}, {}, "sender");
        assertSurvivorsWork({sender.get(), reader1.get(), reader2.get()}, 6);
    }

    void nonReaderAmongSeveralFloodersIsDroppedAndTheOthersGetEverything()
    {
        start({{"max_pdu_bytes", "64K"}, {"max_outbox_bytes", "1100K"}});
        auto [flooder1, flooder2, reader, nonReader] = admitMsgServers<4>();
        nonReader->send(tttest::onlineUserInfo({{10001, kOnline, kWindows}, {10002, kOnline, kAndroid}}));
        reader->send(tttest::onlineUserInfo({{10002, kOnline, kMac}}));
        assertNothing(nonReader->sync(), "non-reader");
        assertNothing(reader->sync(), "reader");

        // Two flood in turn; each reads the other's frames, the reader reads both.
        std::vector<WireFrame> othersAt[3];
        std::vector<std::string> sent[2];
        FakeMsgServer* flooders[2] = {flooder1.get(), flooder2.get()};
        bool dropped = false;
        int after = 0;
        for (std::uint32_t i = 0; i < 5000 && after < 20; ++i)
        {
            for (int f = 0; f < 2; ++f)
            {
                sent[f].push_back(tttest::msgData(10010 + f, 10020, i, patternedBytes(30 * 1024 + f * 1000, i * 2 + f)));
                flooders[f]->send(sent[f].back());
                assertSameBytes(sent[f].back(), nextMsgData(*reader, othersAt[2]).bytes, "reader");
                assertSameBytes(sent[f].back(), nextMsgData(*flooders[1 - f], othersAt[1 - f]).bytes, "the other flooder");
            }
            dropped = dropped || served().log().find("queue_overflow") != std::string::npos;
            after += dropped ? 1 : 0;
        }
        CPPUNIT_ASSERT_MESSAGE(served().log(), dropped);
        CPPUNIT_ASSERT(nonReader->waitClosed(10s));
        CPPUNIT_ASSERT_MESSAGE(served().log(), !served().waitForLine({nonReader->logName(), "disconnected (queue_overflow)"}).empty());
        CPPUNIT_ASSERT_EQUAL_MESSAGE(served().log(), std::size_t(1), occurrences(served().log(), "disconnected ("));

        // Besides every flood frame, each survivor heard exactly the non-reader's loss: 10001
        // offline, 10002 (its PC is on the reader's server) untouched.
        FakeMsgServer* survivors[3] = {flooder1.get(), flooder2.get(), reader.get()};
        for (int s = 0; s < 3; ++s)
        {
            const auto rest = survivors[s]->sync();
            othersAt[s].insert(othersAt[s].end(), rest.begin(), rest.end());
            assertOfflineAnnouncements(othersAt[s], {10001}, {}, "survivor " + std::to_string(s));
        }
        CPPUNIT_ASSERT_EQUAL(statuses({kOffline, kOnline}), statuses(queryStatuses(*reader, {10001, 10002})));
        assertSurvivorsWork({flooder1.get(), flooder2.get(), reader.get()}, 10);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(FaultSlowReaderTest);
