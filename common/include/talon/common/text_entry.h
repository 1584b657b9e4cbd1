// What a visitor types on the kiosk's on-screen keyboard, with no UI: the value (TextEntry),
// the keys of each language's layout (KeyboardLayout) and the keyboard's modes (KeyboardState).
// The ImGui widgets in talon/ui/keyboard.h draw these; tests drive them directly.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace talon {

// ---- UTF-8 ---------------------------------------------------------------------------------

/// Decodes strict UTF-8 (no overlong forms, surrogates, stray or missing continuation bytes,
/// nothing above U+10FFFF); nullopt when `utf8` is not valid.
std::optional<std::u32string> decodeUtf8(std::string_view utf8);
/// Whether `utf8` is strict UTF-8 as decodeUtf8() reads it, without building the result.
bool validUtf8(std::string_view utf8);
/// Encodes one code point; empty for surrogates and values above U+10FFFF.
std::string encodeUtf8(char32_t cp);
/// The upper-case form of a letter (Latin, Latin-1, Cyrillic incl. ё and Kazakh/Ukrainian
/// letters), by explicit mapping with no locale; other code points come back unchanged.
char32_t upperCase(char32_t cp);
/// upperCase() applied to each code point; invalid UTF-8 comes back unchanged.
std::string upperCase(std::string_view utf8);

// ---- TextEntry -----------------------------------------------------------------------------

enum class EntryKind {
    Digits,  // 0-9 only: account numbers, phone numbers
    Pin,     // 0-9 only, and views show dots instead of the digits
    Text,    // any printable character; newlines only when allowed
};

/// The value being typed, kept valid at all times: it is always well-formed UTF-8 that fits
/// the kind and holds at most `maxLength` code points (not bytes).
class TextEntry {
public:
    /// `maxLength` counts code points; 0 means no limit.
    explicit TextEntry(EntryKind kind = EntryKind::Text, size_t maxLength = 0,
                       bool allowNewline = false);

    /// Appends `utf8` whole or not at all: false (and nothing changes) when it is empty, not
    /// valid UTF-8, holds a character the kind refuses, or would exceed the limit.
    bool insert(std::string_view utf8);
    /// Removes the last code point; false when the entry is empty.
    bool backspace();
    void clear() {
        m_value.clear();
        m_length = 0;
    }
    /// Replaces the value; false (value unchanged) when insert() would refuse `utf8`.
    bool assign(std::string_view utf8);

    /// Whether this entry's kind takes the character (ignoring the length limit).
    bool accepts(char32_t cp) const;

    const std::string& value() const { return m_value; }
    /// Length in code points.
    size_t length() const { return m_length; }
    /// Code points still allowed; SIZE_MAX when there is no limit.
    size_t remaining() const;
    size_t maxLength() const { return m_maxLength; }
    bool empty() const { return m_length == 0; }
    bool full() const { return m_maxLength != 0 && m_length >= m_maxLength; }
    EntryKind kind() const { return m_kind; }
    bool allowsNewline() const { return m_allowNewline; }

private:
    EntryKind m_kind;
    size_t m_maxLength;
    bool m_allowNewline;
    std::string m_value;
    size_t m_length = 0;
};

// ---- Keyboard layout (data) ----------------------------------------------------------------

enum class KeyAction {
    Char,   // types Key::text (upper-cased while Shift is on)
    Shift,  // off → once (next letter upper case) → caps lock → off
    Backspace,
    Space,
    Enter,     // types a newline; only on layouts for entries that allow one
    Language,  // switches to the next of the kiosk's languages
    Page,      // letters ⇄ digits and symbols; Key::text is the label ("?123", "АБВ")
    Done,
};

struct Key {
    KeyAction action = KeyAction::Char;
    std::string text;  // Char: the lower-case character typed; Page: the key's label
    float width = 1;   // in key units; a row's widths add up to the layout's width
};

enum class KeyboardPage { Letters, Symbols };

struct LayoutOptions {
    bool languageKey = true;  // false when the kiosk has only one language
    bool enterKey = false;    // an Enter key that types a newline (multi-line texts)
};

struct KeyboardLayout {
    std::string language;
    KeyboardPage page = KeyboardPage::Letters;
    std::vector<std::vector<Key>> rows;
    /// The widest row in key units (rows that are narrower are centred by the views).
    float units() const;
};

/// Languages with a letters layout: "ru" (ЙЦУКЕН with ё) and "en" (QWERTY).
bool hasKeyboardLayout(std::string_view language);
/// The keys of `page` for `language`; the symbols page (digits, punctuation for texts and
/// e-mail addresses) is shared. An unknown language gets the English letters.
KeyboardLayout keyboardLayout(std::string_view language, KeyboardPage page,
                              const LayoutOptions& options = {});
/// The 3×4 numeric keypad: 1 2 3 / 4 5 6 / 7 8 9 / Backspace 0 Done.
KeyboardLayout keypadLayout();

// ---- Keyboard state ------------------------------------------------------------------------

enum class ShiftMode { Off, Once, Locked };

/// What one key press did, so the view can react (a refused key may flash the limit).
enum class KeyOutcome {
    Typed,     // the entry grew
    Deleted,   // backspace removed a character
    Rejected,  // the entry refused (kind, limit) or there was nothing to delete
    Done,      // the visitor finished
    ShiftChanged,
    PageChanged,
    LanguageChanged,
};

/// Applies a key that needs no keyboard state (Char as given, Backspace, Space, Enter, Done)
/// to `entry`; keys that only change modes come back as Rejected.
KeyOutcome applyKey(const Key& key, TextEntry& entry);

/// The on-screen keyboard's modes; owned by the screen that shows the keyboard.
class KeyboardState {
public:
    /// `languages`: the kiosk's languages in switch order; those without a layout are skipped,
    /// and English is used when none has one. Starts on `current` when it has a layout.
    explicit KeyboardState(std::vector<std::string> languages = {"ru", "en"},
                           std::string_view current = {});

    /// Applies `key` to `entry` and updates the modes: Shift Once ends after one typed
    /// character, switching language or page turns Shift off.
    KeyOutcome press(const Key& key, TextEntry& entry);

    /// The keys to show now for `entry` (an Enter key when it allows newlines).
    KeyboardLayout layout(const TextEntry& entry) const;
    /// What a key shows now: a Char key's text in upper case while Shift is on.
    std::string label(const Key& key) const;

    const std::string& language() const { return m_languages[m_current]; }
    /// Follows the kiosk's language; false (nothing changes) when it is not one of ours.
    bool setLanguage(std::string_view language);
    /// The language the Language key switches to.
    const std::string& nextLanguage() const {
        return m_languages[(m_current + 1) % m_languages.size()];
    }
    const std::vector<std::string>& languages() const { return m_languages; }
    ShiftMode shift() const { return m_shift; }
    void setShift(ShiftMode mode) { m_shift = mode; }
    KeyboardPage page() const { return m_page; }
    void setPage(KeyboardPage page);

private:
    std::vector<std::string> m_languages;
    size_t m_current = 0;
    ShiftMode m_shift = ShiftMode::Off;
    KeyboardPage m_page = KeyboardPage::Letters;
};

}  // namespace talon
