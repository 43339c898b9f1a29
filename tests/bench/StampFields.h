#pragma once

#include <cstdint>
#include <cstring>

namespace ttbench
{

/// Writes `value` at `at`, in this machine's byte order: a stamp is read back only by the
/// process that wrote it (MsgDataTemplate's in msg_data, StampedQuery's in attach_data).
template <typename T>
void putStampField(char* at, T value)
{
    std::memcpy(at, &value, sizeof value);
}

/// Reads a field that putStampField wrote at `at`.
template <typename T>
T getStampField(const char* at)
{
    T value;
    std::memcpy(&value, at, sizeof value);
    return value;
}

/// A stamp's check word, mixed from the rest of it (two 64-bit words): a receiver that
/// rebuilds what it expects from the stamp it read would not notice the stamp itself
/// damaged, nor a damaged stamp passing for another one; the check word notices.
inline std::uint32_t stampCheckWord(std::uint64_t first, std::uint64_t second)
{
    std::uint64_t mixed = (first + 0x9E3779B97F4A7C15ull) * 0xBF58476D1CE4E5B9ull;
    mixed ^= second * 0x94D049BB133111EBull;
    return static_cast<std::uint32_t>(mixed ^ (mixed >> 31) ^ (mixed >> 47));
}

} // namespace ttbench
