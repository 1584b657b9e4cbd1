// Counting printed columns in the tests: one per UTF-8 code point.
#pragma once

#include <string>

namespace talon::print::test {

inline int codePoints(const std::string& s) {
    int n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
}

}  // namespace talon::print::test
