// The frame decoder: whole frames across any read boundary, and the length limits of protocol.md §1.
#include "WireFrames.h"
#include "wire/FrameDecoder.h"

#include <cppunit/extensions/HelperMacros.h>

#include <cstring>

using ttroute::FrameDecoder;
using ttroute::FrameError;
using ttroute::FrameView;

namespace
{

constexpr std::size_t kMax = 4 * 1024 * 1024;

/// Feeds `data` to the decoder in reads of at most `piece` bytes; returns each frame's bytes.
std::vector<std::string> feed(FrameDecoder& decoder, const std::string& data, std::size_t piece = SIZE_MAX,
                              std::size_t maxFrame = kMax)
{
    std::vector<std::string> out;
    std::vector<FrameView> frames;
    std::size_t at = 0;
    do
    {
        auto [space, capacity] = decoder.prepareRead();
        const std::size_t count = std::min({capacity, piece, data.size() - at});
        std::memcpy(space, data.data() + at, count);
        at += count;
        frames.clear();
        decoder.commit(count, maxFrame, frames);
        for (const FrameView& frame : frames)
            out.emplace_back(frame.bytes, frame.header.length);
    } while (at < data.size());
    return out;
}

std::string bodyOf(std::size_t size, char seed)
{
    std::string body(size, '\0');
    for (std::size_t i = 0; i < size; ++i)
        body[i] = static_cast<char>(seed + i * 7);
    return body;
}

} // namespace

class FrameDecoderTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(FrameDecoderTest);
    CPPUNIT_TEST(decodesHeaderFields);
    CPPUNIT_TEST(frameSplitAtEveryByteBoundary);
    CPPUNIT_TEST(byteByByte);
    CPPUNIT_TEST(thousandFramesPipelinedInOneBuffer);
    CPPUNIT_TEST(largeFrameAcrossManyReads);
    CPPUNIT_TEST(headerOnlyFrameIsValid);
    CPPUNIT_TEST(frameOfExactlyMaxIsValid);
    CPPUNIT_TEST(everyBadLengthIsRejected);
    CPPUNIT_TEST(badLengthIsRejectedAsSoonAsTheHeaderIsIn);
    CPPUNIT_TEST(framesBeforeABadHeaderAreReturned);
    CPPUNIT_TEST(limitIsTakenPerCommit);
    CPPUNIT_TEST_SUITE_END();

public:
    void decodesHeaderFields()
    {
        FrameDecoder decoder;
        const std::string frame = tttest::makeRawFrame(0x0203, 0x070a, 0xBEEF, "xyz");
        auto [space, capacity] = decoder.prepareRead();
        CPPUNIT_ASSERT(capacity >= frame.size());
        std::memcpy(space, frame.data(), frame.size());
        std::vector<FrameView> frames;
        decoder.commit(frame.size(), kMax, frames);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), frames.size());
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(19), frames[0].header.length);
        CPPUNIT_ASSERT_EQUAL(std::uint16_t(1), frames[0].header.version);
        CPPUNIT_ASSERT_EQUAL(std::uint16_t(0x0203), frames[0].header.serviceId);
        CPPUNIT_ASSERT_EQUAL(std::uint16_t(0x070a), frames[0].header.commandId);
        CPPUNIT_ASSERT_EQUAL(std::uint16_t(0xBEEF), frames[0].header.seqNum);
        CPPUNIT_ASSERT_EQUAL(std::string("xyz"), std::string(frames[0].body(), frames[0].bodySize()));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), decoder.pendingBytes());
    }

    void frameSplitAtEveryByteBoundary()
    {
        const std::vector<std::string> expected = {tttest::makeRawFrame(3, 0x0301, 1, bodyOf(200, 'a')),
                                                   tttest::makeRawFrame(7, 0x0701, 2, ""),
                                                   tttest::makeRawFrame(2, 0x020a, 3, bodyOf(31, 'q'))};
        std::string stream;
        for (const auto& frame : expected)
            stream += frame;
        for (std::size_t split = 0; split <= stream.size(); ++split)
        {
            FrameDecoder decoder(64);
            auto frames = feed(decoder, stream.substr(0, split));
            const auto rest = feed(decoder, stream.substr(split));
            frames.insert(frames.end(), rest.begin(), rest.end());
            CPPUNIT_ASSERT_MESSAGE("split at " + std::to_string(split), frames == expected);
            CPPUNIT_ASSERT_EQUAL(std::size_t(0), decoder.pendingBytes());
        }
    }

    void byteByByte()
    {
        std::vector<std::string> expected;
        std::string stream;
        for (int i = 0; i < 20; ++i)
        {
            expected.push_back(tttest::makeRawFrame(3, 0x0301, static_cast<std::uint16_t>(i), bodyOf(static_cast<std::size_t>(i * 13), 'm')));
            stream += expected.back();
        }
        FrameDecoder decoder(32);
        CPPUNIT_ASSERT(feed(decoder, stream, 1) == expected);
    }

    void thousandFramesPipelinedInOneBuffer()
    {
        std::vector<std::string> expected;
        std::string stream;
        for (int i = 0; i < 1000; ++i)
        {
            expected.push_back(tttest::makeRawFrame(3, 0x0301, static_cast<std::uint16_t>(i), bodyOf(static_cast<std::size_t>(i % 300), 'k')));
            stream += expected.back();
        }
        FrameDecoder decoder(stream.size());
        auto [space, capacity] = decoder.prepareRead();
        CPPUNIT_ASSERT(capacity >= stream.size());
        std::memcpy(space, stream.data(), stream.size());
        std::vector<FrameView> frames;
        decoder.commit(stream.size(), kMax, frames);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1000), frames.size());
        for (std::size_t i = 0; i < frames.size(); ++i)
        {
            CPPUNIT_ASSERT_EQUAL(std::uint16_t(i), frames[i].header.seqNum);
            CPPUNIT_ASSERT(std::string(frames[i].bytes, frames[i].header.length) == expected[i]);
        }
    }

    void largeFrameAcrossManyReads()
    {
        const std::string big = tttest::makeRawFrame(3, 0x0301, 9, bodyOf(3 * 1024 * 1024, 'z'));
        const std::string small = tttest::makeRawFrame(7, 0x0701, 10, "");
        FrameDecoder decoder(4096);
        const auto frames = feed(decoder, small + big + small, 1000);
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), frames.size());
        CPPUNIT_ASSERT(frames[1] == big);
        CPPUNIT_ASSERT(frames[2] == small);
    }

    void headerOnlyFrameIsValid()
    {
        FrameDecoder decoder;
        const auto frames = feed(decoder, tttest::makeRawFrame(7, 0x0701, 0, ""));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), frames.size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(16), frames[0].size());
    }

    void frameOfExactlyMaxIsValid()
    {
        FrameDecoder decoder(1024);
        const std::string frame = tttest::makeRawFrame(3, 0x0301, 0, bodyOf(2048 - 16, 'e'));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), feed(decoder, frame, SIZE_MAX, 2048).size());
    }

    void everyBadLengthIsRejected()
    {
        const std::int64_t maxFrame = 2048;
        for (std::int64_t length : {std::int64_t(0), std::int64_t(1), std::int64_t(8), std::int64_t(15), maxFrame + 1,
                                    std::int64_t(64 * 1024 * 1024), std::int64_t(0xFFFFFFFF)})
        {
            FrameDecoder decoder;
            const std::string frame = tttest::makeRawFrame(3, 0x0301, 5, "", length);
            try
            {
                feed(decoder, frame, SIZE_MAX, static_cast<std::size_t>(maxFrame));
                CPPUNIT_FAIL("length " + std::to_string(length) + " was accepted");
            }
            catch (const FrameError& error)
            {
                CPPUNIT_ASSERT_EQUAL(static_cast<std::uint32_t>(length), error.header().length);
                CPPUNIT_ASSERT_EQUAL(std::uint16_t(0x0301), error.header().commandId);
                const std::string what = error.what();
                CPPUNIT_ASSERT_MESSAGE(what, what.find(std::to_string(length)) != std::string::npos);
                CPPUNIT_ASSERT_MESSAGE(what, what.find(length < 16 ? "below" : "exceeds") != std::string::npos);
            }
        }
    }

    void badLengthIsRejectedAsSoonAsTheHeaderIsIn()
    {
        // A header promising 1 GiB is refused at once, not after buffering.
        FrameDecoder decoder;
        CPPUNIT_ASSERT_THROW(feed(decoder, tttest::makeRawFrame(3, 0x0301, 0, "", 1u << 30)), FrameError);
    }

    void framesBeforeABadHeaderAreReturned()
    {
        const std::string good = tttest::makeRawFrame(3, 0x0301, 1, "ok");
        const std::string bad = tttest::makeRawFrame(3, 0x0301, 2, "", 3);
        FrameDecoder decoder;
        const std::string stream = good + good + bad;
        auto [space, capacity] = decoder.prepareRead();
        std::memcpy(space, stream.data(), stream.size());
        std::vector<FrameView> frames;
        CPPUNIT_ASSERT_THROW(decoder.commit(stream.size(), kMax, frames), FrameError);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), frames.size());
    }

    void limitIsTakenPerCommit()
    {
        // The limit is live configuration: each commit applies the value given with it.
        const std::string frame = tttest::makeRawFrame(3, 0x0301, 1, bodyOf(3000, 'l'));
        FrameDecoder strict;
        CPPUNIT_ASSERT_THROW(feed(strict, frame, SIZE_MAX, 2048), FrameError);
        FrameDecoder relaxed;
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), feed(relaxed, frame, SIZE_MAX, 4096).size());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(FrameDecoderTest);
