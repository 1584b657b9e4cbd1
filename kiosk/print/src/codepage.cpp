// iconv builds the byte table once; conversion is then a lookup per character, which keeps
// invalid and unmappable input on one simple path instead of iconv's EILSEQ recovery.
#include "codepage.h"

#include <iconv.h>

#include "utf8.h"

namespace talon::print::detail {
namespace {

struct IconvHandle {
    iconv_t cd;
    ~IconvHandle() { iconv_close(cd); }
};

// The precomposed letter for a base letter followed by a combining accent, or 0. Only the
// Cyrillic pairs matter: text pasted from some editors arrives decomposed.
char32_t compose(char32_t base, char32_t accent) {
    if (accent == 0x0306 && base == U'и') return U'й';
    if (accent == 0x0306 && base == U'И') return U'Й';
    if (accent == 0x0308 && base == U'е') return U'ё';
    if (accent == 0x0308 && base == U'Е') return U'Ё';
    return 0;
}

}  // namespace

Result<CodePage> CodePage::open(const std::string& charset) {
    const iconv_t cd = iconv_open("UTF-32BE", charset.c_str());
    if (cd == reinterpret_cast<iconv_t>(-1)) {
        return makeError(ErrorKind::Config, "unknown_charset",
                         "iconv does not know the printer charset \"" + charset + "\"");
    }
    IconvHandle handle{cd};
    CodePage page;
    page.m_toUnicode.fill(U'?');
    for (int b = 0x20; b <= 0xFF; ++b) {
        if (b == 0x7F) continue;
        char in = static_cast<char>(b);
        unsigned char out[8] = {};
        char* inPtr = &in;
        char* outPtr = reinterpret_cast<char*>(out);
        std::size_t inLeft = 1;
        std::size_t outLeft = sizeof out;
        iconv(cd, nullptr, nullptr, nullptr, nullptr);
        if (iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft) == static_cast<std::size_t>(-1)) continue;
        if (sizeof out - outLeft != 4) continue;
        const char32_t cp = (char32_t{out[0]} << 24) | (char32_t{out[1]} << 16) |
                            (char32_t{out[2]} << 8) | char32_t{out[3]};
        if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) continue;  // never print a control
        page.m_toUnicode[b] = cp;
        page.m_fromUnicode.emplace(cp, static_cast<unsigned char>(b));  // first byte wins
    }
    return page;
}

std::string CodePage::encode(std::string_view utf8) const {
    std::string out;
    out.reserve(utf8.size());
    char32_t previous = 0;
    for (const CodeUnit& u : decodeUtf8(utf8)) {
        if (isCombining(u.cp)) {
            const char32_t composed = compose(previous, u.cp);
            const auto it = m_fromUnicode.find(composed);
            if (composed != 0 && !out.empty() && it != m_fromUnicode.end()) {
                out.back() = static_cast<char>(it->second);
            }
            previous = 0;  // an accent is used once; a stray one is dropped
            continue;
        }
        previous = u.cp;
        if (u.cp == U'\t') {
            out += ' ';
            continue;
        }
        const auto it = m_fromUnicode.find(u.cp);
        out += it == m_fromUnicode.end() ? '?' : static_cast<char>(it->second);
    }
    return out;
}

}  // namespace talon::print::detail
