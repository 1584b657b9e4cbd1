// Strict UTF-8 decoding that never fails: receipts print whatever the caller passed.
#include "utf8.h"

namespace talon::print::detail {

std::vector<CodeUnit> decodeUtf8(std::string_view text) {
    std::vector<CodeUnit> out;
    out.reserve(text.size());
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    std::size_t i = 0;
    while (i < text.size()) {
        const unsigned char b = byte(i);
        std::size_t len = 0;
        char32_t cp = 0;
        char32_t min = 0;
        if (b < 0x80) {
            out.push_back({b, i, 1});
            ++i;
            continue;
        } else if ((b & 0xE0) == 0xC0) {
            len = 2, cp = b & 0x1F, min = 0x80;
        } else if ((b & 0xF0) == 0xE0) {
            len = 3, cp = b & 0x0F, min = 0x800;
        } else if ((b & 0xF8) == 0xF0) {
            len = 4, cp = b & 0x07, min = 0x10000;
        }
        bool valid = len != 0 && i + len <= text.size();
        for (std::size_t k = 1; valid && k < len; ++k) {
            if ((byte(i + k) & 0xC0) != 0x80)
                valid = false;
            else
                cp = (cp << 6) | (byte(i + k) & 0x3F);
        }
        valid = valid && cp >= min && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
        if (valid) {
            out.push_back({cp, i, len});
            i += len;
        } else {
            out.push_back({kInvalid, i, 1});
            ++i;
        }
    }
    return out;
}

}  // namespace talon::print::detail
