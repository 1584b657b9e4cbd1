// The printer's single-byte code page (PC866 by default): UTF-8 in, printable bytes out. The
// preview decodes the bytes back, so it shows the same '?' the paper would.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <unordered_map>

#include "talon/common/result.h"

namespace talon::print::detail {

class CodePage {
public:
    /// Builds the table with iconv. Errors: Config "unknown_charset" when iconv lacks `charset`.
    static Result<CodePage> open(const std::string& charset);

    /// One byte per column, never a control byte (so text cannot smuggle in a printer command):
    /// characters the page lacks, invalid UTF-8 and control characters become '?', a tab a space.
    std::string encode(std::string_view utf8) const;

    /// The character a printable byte stands for ('?' for bytes the page leaves undefined).
    char32_t decode(unsigned char byte) const { return m_toUnicode[byte]; }

private:
    std::unordered_map<char32_t, unsigned char> m_fromUnicode;
    std::array<char32_t, 256> m_toUnicode{};
};

}  // namespace talon::print::detail
