// The presence lock: exclusion, and a waiting writer that holds new readers back, so readers
// that keep overlapping cannot starve it (std::shared_mutex lets them in: a reader-preferring
// lock fails tryLockRespectsHoldersAndWaitingWriters). The give-up deadline only keeps a
// broken lock from hanging the suite.
#include "routing/WriterPriorityMutex.h"

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <shared_mutex>
#include <thread>
#include <vector>

using ttroute::WriterPriorityMutex;

namespace
{

/// How long a side may keep going before the lock counts as never letting the other in:
/// far beyond any scheduling delay, and only reached when the lock is broken.
constexpr auto kGiveUp = std::chrono::seconds(10);

} // namespace

class WriterPriorityMutexTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(WriterPriorityMutexTest);
    CPPUNIT_TEST(writersExcludeEveryoneReadersShare);
    CPPUNIT_TEST(tryLockRespectsHoldersAndWaitingWriters);
    CPPUNIT_TEST_SUITE_END();

public:
    void writersExcludeEveryoneReadersShare()
    {
        WriterPriorityMutex mutex;
        std::atomic<int> writers{0}, readers{0}, violations{0};
        std::uint64_t guarded = 0; // written only under the exclusive lock
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&, t] {
                for (int i = 0; i < 3000; ++i)
                {
                    if ((i + t) % 3 == 0)
                    {
                        std::unique_lock lock(mutex);
                        violations += writers.fetch_add(1) != 0 || readers.load() != 0;
                        ++guarded;
                        writers.fetch_sub(1);
                    }
                    else
                    {
                        std::shared_lock lock(mutex);
                        readers.fetch_add(1);
                        violations += writers.load() != 0;
                        readers.fetch_sub(1);
                    }
                }
            });
        for (auto& thread : threads)
            thread.join();
        CPPUNIT_ASSERT_EQUAL(0, violations.load());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(4 * 1000), guarded);
    }

    void tryLockRespectsHoldersAndWaitingWriters()
    {
        WriterPriorityMutex mutex;
        CPPUNIT_ASSERT(mutex.try_lock_shared());
        CPPUNIT_ASSERT(mutex.try_lock_shared()); // readers share
        CPPUNIT_ASSERT(!mutex.try_lock());
        mutex.unlock_shared();
        mutex.unlock_shared();
        CPPUNIT_ASSERT(mutex.try_lock());
        CPPUNIT_ASSERT(!mutex.try_lock_shared());
        CPPUNIT_ASSERT(!mutex.try_lock());
        mutex.unlock();

        // A writer waiting behind a reader holds new readers back.
        mutex.lock_shared();
        std::atomic<bool> writerIn{false};
        std::thread writer([&] {
            std::unique_lock lock(mutex);
            writerIn = true;
        });
        bool heldBack = false;
        const auto giveUp = std::chrono::steady_clock::now() + kGiveUp;
        while (!heldBack && std::chrono::steady_clock::now() < giveUp)
        {
            heldBack = !mutex.try_lock_shared();
            if (!heldBack)
            {
                mutex.unlock_shared();
                std::this_thread::yield();
            }
        }
        CPPUNIT_ASSERT_MESSAGE("the writer never came to wait", heldBack);
        CPPUNIT_ASSERT(!writerIn.load());
        mutex.unlock_shared();
        writer.join();
        CPPUNIT_ASSERT(writerIn.load());
        CPPUNIT_ASSERT(mutex.try_lock_shared());
        mutex.unlock_shared();
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(WriterPriorityMutexTest);
