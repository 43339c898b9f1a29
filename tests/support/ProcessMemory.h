#pragma once

// This process's memory, for tests that check nothing grows: the heap as the allocator in
// use (the sanitizers' own, or glibc's) counts it, and the resident set.

#include <cstddef>

namespace tttest
{

/// Bytes allocated on the heap and not freed yet, by this process and any plugin in it.
std::size_t liveHeapBytes();

/// Hands freed memory back where the allocator can: under AddressSanitizer, empties the
/// quarantine that holds every freed block back for a while (it would look like growth).
void settleAllocator();

/// Resident set size of this process, in KiB.
std::size_t rssKiB();

/// Threads of this process, a served plugin's connection threads among them.
std::size_t threadCount();

} // namespace tttest
