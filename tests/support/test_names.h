// Readable names for parameterised tests ("unknown service" → "unknown_service").
#pragma once

#include <cctype>
#include <string>

namespace talon::test {

inline std::string testName(const std::string& text) {
    std::string out;
    for (char c : text) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
    return out;
}

}  // namespace talon::test
