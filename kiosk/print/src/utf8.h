// A strict UTF-8 walker shared by line wrapping and code page conversion, so both count the
// same characters: invalid bytes never stop it, each becomes one kInvalid unit.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace talon::print::detail {

inline constexpr char32_t kInvalid = 0xFFFFFFFF;

struct CodeUnit {
    char32_t cp = kInvalid;  // kInvalid for a byte that does not start a valid sequence
    std::size_t offset = 0;  // byte offset in the input
    std::size_t length = 1;  // bytes taken
};

/// Decodes `text`, rejecting overlong forms, surrogates and values above U+10FFFF; each bad
/// byte is one kInvalid unit and decoding goes on with the next byte.
std::vector<CodeUnit> decodeUtf8(std::string_view text);

/// Combining accents print on the previous character, so they take no column.
inline bool isCombining(char32_t cp) {
    return cp >= 0x0300 && cp <= 0x036F;
}

}  // namespace talon::print::detail
