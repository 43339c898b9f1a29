#pragma once

// Short texts for failure messages and case names: ids in hex, frame lists, sets of numbers.

#include "WireFrames.h"

#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace tttest
{

/// The low 16 bits of `value` as four lower-case hex digits, e.g. "070e".
std::string hex4(std::uint32_t value);

/// The low 16 bits of `value` as "0x" and four lower-case hex digits, e.g. "0x070e".
std::string hexId(std::uint32_t value);

/// `frames` as "[svc 7 cmd 0x070e seq 0 len 24, ...]": the first 40, then how many in all.
std::string describeFrames(const std::vector<WireFrame>& frames);

/// `numbers` in ascending order as "{1,3,4}" ("{}" when empty).
std::string setText(const std::set<int>& numbers);

} // namespace tttest
