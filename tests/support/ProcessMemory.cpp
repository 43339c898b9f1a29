#include "ProcessMemory.h"

#include <cppunit/TestAssert.h>

#include <fstream>
#include <malloc.h>
#include <string>

// Under a sanitizer, malloc is the sanitizer's: its own interface tells the heap's size.
#if defined(__SANITIZE_ADDRESS__)
#define TTTEST_ASAN 1
#elif defined(__SANITIZE_THREAD__)
#define TTTEST_TSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TTTEST_ASAN 1
#elif __has_feature(thread_sanitizer)
#define TTTEST_TSAN 1
#endif
#endif

#if defined(TTTEST_ASAN) || defined(TTTEST_TSAN)
extern "C" std::size_t __sanitizer_get_current_allocated_bytes();
#endif
#ifdef TTTEST_ASAN
extern "C" void __sanitizer_purge_allocator();
#endif

namespace tttest
{

std::size_t liveHeapBytes()
{
#if defined(TTTEST_ASAN) || defined(TTTEST_TSAN)
    return __sanitizer_get_current_allocated_bytes();
#else
    return ::mallinfo2().uordblks;
#endif
}

void settleAllocator()
{
#if defined(TTTEST_ASAN)
    __sanitizer_purge_allocator();
#elif !defined(TTTEST_TSAN)
    ::malloc_trim(0);
#endif
}

namespace
{

/// The number after `key` (e.g. "VmRSS:") in /proc/self/status.
std::size_t statusValue(const std::string& key)
{
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);)
        if (line.rfind(key, 0) == 0)
            return static_cast<std::size_t>(std::stoull(line.substr(key.size())));
    CPPUNIT_FAIL("no " + key + " in /proc/self/status");
    return 0;
}

} // namespace

std::size_t rssKiB()
{
    return statusValue("VmRSS:");
}

std::size_t threadCount()
{
    return statusValue("Threads:");
}

} // namespace tttest
