#pragma once

#include <cstddef>

namespace ttroute
{

/// A buffer of whole memory pages of its own (mmap), for a connection's reads: pages cost
/// memory only once something is written to them, and all of them go back to the system
/// when the buffer goes. (From malloc, a large buffer freed once would make the allocator
/// serve the next ones from its heap, which keeps what was touched: thousands of idle
/// connections would hold their buffers' pages for good.)
class PageBuffer
{
public:
    /// No buffer.
    PageBuffer() = default;

    /// At least `size` bytes; throws std::bad_alloc when the system has no room.
    explicit PageBuffer(std::size_t size);

    /// Returns the pages.
    ~PageBuffer();

    PageBuffer(PageBuffer&& other) noexcept;
    PageBuffer& operator=(PageBuffer&& other) noexcept;
    PageBuffer(const PageBuffer&) = delete;
    PageBuffer& operator=(const PageBuffer&) = delete;

    /// The bytes; null when there is no buffer.
    char* get() const { return data_; }

private:
    char* data_ = nullptr;
    std::size_t size_ = 0; ///< of the mapping
};

} // namespace ttroute
