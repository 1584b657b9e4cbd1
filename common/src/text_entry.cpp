// TextEntry, the keyboard layouts and KeyboardState: plain C++ so tests can type without a screen.
#include "talon/common/text_entry.h"

#include <algorithm>
#include <cstdint>

namespace talon {

// ---- UTF-8 ---------------------------------------------------------------------------------

namespace {

/// Decodes the code point starting at utf8[i] into `cp`; its length in bytes, or 0 when the
/// bytes there are not strict UTF-8.
size_t decodeOne(std::string_view utf8, size_t i, char32_t& cp) {
    const auto b0 = static_cast<unsigned char>(utf8[i]);
    if (b0 < 0x80) {
        cp = b0;
        return 1;
    }
    size_t extra = 0;
    char32_t min = 0;
    if ((b0 & 0xE0) == 0xC0) {
        extra = 1, cp = b0 & 0x1F, min = 0x80;
    } else if ((b0 & 0xF0) == 0xE0) {
        extra = 2, cp = b0 & 0x0F, min = 0x800;
    } else if ((b0 & 0xF8) == 0xF0) {
        extra = 3, cp = b0 & 0x07, min = 0x10000;
    } else {
        return 0;  // a continuation byte with no lead, or 0xF8..0xFF
    }
    if (i + extra >= utf8.size()) return 0;  // truncated
    for (size_t k = 1; k <= extra; ++k) {
        const auto b = static_cast<unsigned char>(utf8[i + k]);
        if ((b & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (b & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return extra + 1;
}

}  // namespace

std::optional<std::u32string> decodeUtf8(std::string_view utf8) {
    std::u32string out;
    out.reserve(utf8.size());
    for (size_t i = 0, len = 0; i < utf8.size(); i += len) {
        char32_t cp = 0;
        if ((len = decodeOne(utf8, i, cp)) == 0) return std::nullopt;
        out.push_back(cp);
    }
    return out;
}

bool validUtf8(std::string_view utf8) {
    for (size_t i = 0, len = 0; i < utf8.size(); i += len) {
        char32_t cp = 0;
        if ((len = decodeOne(utf8, i, cp)) == 0) return false;
    }
    return true;
}

std::string encodeUtf8(char32_t cp) {
    std::string out;
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        if (cp >= 0xD800 && cp <= 0xDFFF) return {};
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp <= 0x10FFFF) {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
    return out;
}

char32_t upperCase(char32_t cp) {
    if (cp >= U'a' && cp <= U'z') return cp - 0x20;
    if (cp >= 0xE0 && cp <= 0xFE && cp != 0xF7) return cp - 0x20;  // à..þ, not ÷
    if (cp == 0xFF) return 0x178;                                  // ÿ → Ÿ
    if (cp >= 0x430 && cp <= 0x44F) return cp - 0x20;              // а..я
    if (cp >= 0x450 && cp <= 0x45F) return cp - 0x50;              // ѐ..џ, ё → Ё, і → І
    // The rest of the Cyrillic block pairs upper/lower on neighbouring code points.
    const bool odd = cp % 2 == 1;
    if ((cp >= 0x460 && cp <= 0x481) || (cp >= 0x48A && cp <= 0x4BF) ||
        (cp >= 0x4D0 && cp <= 0x52F)) {
        return odd ? cp - 1 : cp;  // ґ, ғ, қ, ң, ү, ұ, һ, ә, ө …
    }
    if (cp >= 0x4C1 && cp <= 0x4CE) return odd ? cp : cp - 1;
    if (cp == 0x4CF) return 0x4C0;
    return cp;
}

std::string upperCase(std::string_view utf8) {
    const auto cps = decodeUtf8(utf8);
    if (!cps) return std::string(utf8);
    std::string out;
    out.reserve(utf8.size());
    for (char32_t cp : *cps) out += encodeUtf8(upperCase(cp));
    return out;
}

// ---- TextEntry -----------------------------------------------------------------------------

namespace {

/// Characters a visitor could type but nobody could see or print: controls, invisible
/// formatting and bidi overrides, private use and noncharacters.
bool printable(char32_t cp) {
    if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) return false;
    if (cp >= 0x200B && cp <= 0x200F) return false;
    if (cp >= 0x2028 && cp <= 0x202E) return false;
    if (cp >= 0x2060 && cp <= 0x206F) return false;
    if (cp == 0xFEFF) return false;
    if (cp >= 0xE000 && cp <= 0xF8FF) return false;
    if (cp >= 0xFDD0 && cp <= 0xFDEF) return false;
    if ((cp & 0xFFFE) == 0xFFFE) return false;
    if (cp >= 0xF0000) return false;  // supplementary private use planes
    return true;
}

}  // namespace

TextEntry::TextEntry(EntryKind kind, size_t maxLength, bool allowNewline)
    : m_kind(kind),
      m_maxLength(maxLength),
      m_allowNewline(allowNewline && kind == EntryKind::Text) {}

bool TextEntry::accepts(char32_t cp) const {
    switch (m_kind) {
        case EntryKind::Digits:
        case EntryKind::Pin:
            return cp >= U'0' && cp <= U'9';
        case EntryKind::Text:
            return cp == U'\n' ? m_allowNewline : printable(cp);
    }
    return false;
}

bool TextEntry::insert(std::string_view utf8) {
    if (utf8.empty()) return false;
    const auto cps = decodeUtf8(utf8);
    if (!cps) return false;
    if (m_maxLength != 0 && cps->size() > m_maxLength - std::min(m_length, m_maxLength))
        return false;
    if (!std::all_of(cps->begin(), cps->end(), [this](char32_t cp) { return accepts(cp); }))
        return false;
    m_value.append(utf8);
    m_length += cps->size();
    return true;
}

bool TextEntry::backspace() {
    if (m_value.empty()) return false;
    // The value is valid UTF-8, so the last code point starts at the last non-continuation byte.
    size_t i = m_value.size() - 1;
    while (i > 0 && (static_cast<unsigned char>(m_value[i]) & 0xC0) == 0x80) --i;
    m_value.erase(i);
    --m_length;
    return true;
}

bool TextEntry::assign(std::string_view utf8) {
    TextEntry next(m_kind, m_maxLength, m_allowNewline);
    if (!utf8.empty() && !next.insert(utf8)) return false;
    *this = std::move(next);
    return true;
}

size_t TextEntry::remaining() const {
    if (m_maxLength == 0) return SIZE_MAX;
    return m_maxLength - std::min(m_length, m_maxLength);
}

// ---- Keyboard layout -----------------------------------------------------------------------

namespace {

void addLetters(std::vector<Key>& row, std::string_view spaced) {
    size_t i = 0;
    while (i < spaced.size()) {
        size_t sp = spaced.find(' ', i);
        if (sp == std::string_view::npos) sp = spaced.size();
        if (sp > i) row.push_back(Key{KeyAction::Char, std::string(spaced.substr(i, sp - i)), 1});
        i = sp + 1;
    }
}

std::vector<Key> letters(std::string_view spaced) {
    std::vector<Key> row;
    addLetters(row, spaced);
    return row;
}

struct LetterRows {
    std::string_view language;
    std::string_view top, middle, bottom;
    std::string_view lettersLabel;  // what the page key shows on the symbols page
    float languageKeyWidth;         // the bottom row fits the width of the letter rows
    float spaceWidth;
};

// ё sits at the end of the middle row, right under ъ, where ЙЦУКЕН typists look for it
// (it lives on the far left of the digits row on a PC, which a kiosk keyboard does not have).
constexpr LetterRows kRussian{
    "ru", "й ц у к е н г ш щ з х ъ", "ф ы в а п р о л д ж э ё", "я ч с м и т ь б ю", "АБВ", 1.5f,
    5};
constexpr LetterRows kEnglish{
    "en", "q w e r t y u i o p", "a s d f g h j k l", "z x c v b n m", "ABC", 1, 3.5f};

const LetterRows& rowsFor(std::string_view language) {
    return language == "ru" ? kRussian : kEnglish;
}

/// The bottom row: [page] [language] [,] [space] [.] [enter] [done], fitted to the given width.
std::vector<Key> bottomRow(std::string pageLabel, float pageWidth, float languageWidth,
                           bool punctuation, float spaceWidth, const LayoutOptions& options) {
    bool comma = punctuation;
    if (!options.languageKey) spaceWidth += languageWidth;
    if (options.enterKey) {
        spaceWidth -= 1.5f;
        if (comma && spaceWidth < 3) {
            comma = false;  // a narrow space bar is harder to hit than a comma is to find
            spaceWidth += 1;
        }
    }
    std::vector<Key> row;
    row.push_back(Key{KeyAction::Page, std::move(pageLabel), pageWidth});
    if (options.languageKey) row.push_back(Key{KeyAction::Language, {}, languageWidth});
    if (comma) row.push_back(Key{KeyAction::Char, ",", 1});
    row.push_back(Key{KeyAction::Space, {}, spaceWidth});
    if (punctuation) row.push_back(Key{KeyAction::Char, ".", 1});
    if (options.enterKey) row.push_back(Key{KeyAction::Enter, {}, 1.5f});
    row.push_back(Key{KeyAction::Done, {}, 2});
    return row;
}

}  // namespace

float KeyboardLayout::units() const {
    float widest = 0;
    for (const auto& row : rows) {
        float w = 0;
        for (const auto& key : row) w += key.width;
        widest = std::max(widest, w);
    }
    return widest;
}

bool hasKeyboardLayout(std::string_view language) {
    return language == "ru" || language == "en";
}

KeyboardLayout keyboardLayout(std::string_view language, KeyboardPage page,
                              const LayoutOptions& options) {
    const LetterRows& lr = rowsFor(language);
    KeyboardLayout layout;
    layout.language = std::string(lr.language);
    layout.page = page;
    if (page == KeyboardPage::Letters) {
        layout.rows.push_back(letters(lr.top));
        layout.rows.push_back(letters(lr.middle));
        std::vector<Key> third{Key{KeyAction::Shift, {}, 1.5f}};
        addLetters(third, lr.bottom);
        third.push_back(Key{KeyAction::Backspace, {}, 1.5f});
        layout.rows.push_back(std::move(third));
        layout.rows.push_back(
            bottomRow("?123", 1.5f, lr.languageKeyWidth, true, lr.spaceWidth, options));
    } else {
        // Digits, then what complaint texts and e-mail addresses need; 10 keys wide.
        layout.rows.push_back(letters("1 2 3 4 5 6 7 8 9 0"));
        layout.rows.push_back(letters("@ . , - _ : ; ! ? \""));
        std::vector<Key> third = letters("( ) / + = % № '");
        third.push_back(Key{KeyAction::Backspace, {}, 2});
        layout.rows.push_back(std::move(third));
        LayoutOptions symbols = options;
        symbols.languageKey = false;  // the language only changes letters
        layout.rows.push_back(bottomRow(std::string(lr.lettersLabel), 2, 0, false, 6, symbols));
    }
    return layout;
}

KeyboardLayout keypadLayout() {
    KeyboardLayout layout;
    layout.rows = {letters("1 2 3"),
                   letters("4 5 6"),
                   letters("7 8 9"),
                   {Key{KeyAction::Backspace, {}, 1}, Key{KeyAction::Char, "0", 1},
                    Key{KeyAction::Done, {}, 1}}};
    return layout;
}

// ---- Keyboard state ------------------------------------------------------------------------

KeyOutcome applyKey(const Key& key, TextEntry& entry) {
    switch (key.action) {
        case KeyAction::Char:
            return entry.insert(key.text) ? KeyOutcome::Typed : KeyOutcome::Rejected;
        case KeyAction::Space:
            return entry.insert(" ") ? KeyOutcome::Typed : KeyOutcome::Rejected;
        case KeyAction::Enter:
            return entry.insert("\n") ? KeyOutcome::Typed : KeyOutcome::Rejected;
        case KeyAction::Backspace:
            return entry.backspace() ? KeyOutcome::Deleted : KeyOutcome::Rejected;
        case KeyAction::Done:
            return KeyOutcome::Done;
        case KeyAction::Shift:
        case KeyAction::Language:
        case KeyAction::Page:
            return KeyOutcome::Rejected;
    }
    return KeyOutcome::Rejected;
}

KeyboardState::KeyboardState(std::vector<std::string> languages, std::string_view current) {
    for (auto& lang : languages) {
        if (hasKeyboardLayout(lang) &&
            std::find(m_languages.begin(), m_languages.end(), lang) == m_languages.end()) {
            m_languages.push_back(std::move(lang));
        }
    }
    if (m_languages.empty()) m_languages.push_back("en");
    setLanguage(current);
}

bool KeyboardState::setLanguage(std::string_view language) {
    const auto it = std::find(m_languages.begin(), m_languages.end(), language);
    if (it == m_languages.end()) return false;
    m_current = static_cast<size_t>(it - m_languages.begin());
    return true;
}

void KeyboardState::setPage(KeyboardPage page) {
    m_page = page;
    m_shift = ShiftMode::Off;
}

KeyboardLayout KeyboardState::layout(const TextEntry& entry) const {
    LayoutOptions options;
    options.languageKey = m_languages.size() > 1;
    options.enterKey = entry.allowsNewline();
    return keyboardLayout(language(), m_page, options);
}

std::string KeyboardState::label(const Key& key) const {
    if (key.action == KeyAction::Char && m_shift != ShiftMode::Off) return upperCase(key.text);
    return key.text;
}

KeyOutcome KeyboardState::press(const Key& key, TextEntry& entry) {
    switch (key.action) {
        case KeyAction::Char: {
            Key typed = key;
            typed.text = label(key);
            const KeyOutcome outcome = applyKey(typed, entry);
            if (outcome == KeyOutcome::Typed && m_shift == ShiftMode::Once)
                m_shift = ShiftMode::Off;
            return outcome;
        }
        case KeyAction::Shift:
            m_shift = m_shift == ShiftMode::Off    ? ShiftMode::Once
                      : m_shift == ShiftMode::Once ? ShiftMode::Locked
                                                   : ShiftMode::Off;
            return KeyOutcome::ShiftChanged;
        case KeyAction::Page:
            setPage(m_page == KeyboardPage::Letters ? KeyboardPage::Symbols
                                                    : KeyboardPage::Letters);
            return KeyOutcome::PageChanged;
        case KeyAction::Language:
            if (m_languages.size() < 2) return KeyOutcome::Rejected;
            m_current = (m_current + 1) % m_languages.size();
            m_page = KeyboardPage::Letters;
            m_shift = ShiftMode::Off;
            return KeyOutcome::LanguageChanged;
        case KeyAction::Backspace:
        case KeyAction::Space:
        case KeyAction::Enter:
        case KeyAction::Done:
            return applyKey(key, entry);
    }
    return KeyOutcome::Rejected;
}

}  // namespace talon
