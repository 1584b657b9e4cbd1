// TextEntry and KeyboardState: what a visitor can type, limits counted in characters not bytes,
// and the keyboard's Shift, page and language modes, all without a screen.
#include "talon/common/text_entry.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "test_names.h"

namespace talon {
namespace {

// ---- insert: table of (kind, limit, what is typed, accepted?, resulting value) --------------

struct InsertCase {
    const char* name;
    EntryKind kind;
    size_t maxLength;
    std::vector<std::string> typed;  // inserted one after another
    std::vector<bool> accepted;      // what each insert() returned
    std::string value;               // the value afterwards
    size_t length;                   // in code points
};

class TextEntryInsertTest : public ::testing::TestWithParam<InsertCase> {};

TEST_P(TextEntryInsertTest, AcceptsOnlyWhatFits) {
    const InsertCase& c = GetParam();
    TextEntry entry(c.kind, c.maxLength);
    std::vector<bool> accepted;
    for (const auto& t : c.typed) accepted.push_back(entry.insert(t));
    EXPECT_EQ(accepted, c.accepted);
    EXPECT_EQ(entry.value(), c.value);
    EXPECT_EQ(entry.length(), c.length);
    if (c.maxLength) {
        EXPECT_EQ(entry.remaining(), c.maxLength - c.length);
    }
}

const std::string kEmoji = "\xF0\x9F\x98\x80";  // 😀, 4 bytes

// One case per line reads as a table.
// clang-format off
INSTANTIATE_TEST_SUITE_P(
    Table, TextEntryInsertTest,
    ::testing::Values(
        InsertCase{"digits take digits", EntryKind::Digits, 0,
                   {"1", "2", "345"}, {true, true, true}, "12345", 5},
        InsertCase{"digits refuse letters", EntryKind::Digits, 0,
                   {"1", "a", "к", " ", "-", "2"}, {true, false, false, false, false, true}, "12", 2},
        InsertCase{"digits refuse a mixed chunk whole", EntryKind::Digits, 0,
                   {"12a3"}, {false}, "", 0},
        InsertCase{"digits refuse full-width and Arabic-Indic digits", EntryKind::Digits, 0,
                   {"\xEF\xBC\x91", "\xD9\xA1"}, {false, false}, "", 0},
        InsertCase{"digits stop at the limit", EntryKind::Digits, 4,
                   {"12", "34", "5"}, {true, true, false}, "1234", 4},
        InsertCase{"a chunk over the limit is refused whole", EntryKind::Digits, 4,
                   {"123", "45"}, {true, false}, "123", 3},
        InsertCase{"pin is digits only", EntryKind::Pin, 4,
                   {"1", "x", "2", "3", "4", "5"}, {true, false, true, true, true, false}, "1234", 4},
        InsertCase{"cyrillic counts characters not bytes", EntryKind::Text, 3,
                   {"к", "о", "т", "ы"}, {true, true, true, false}, "кот", 3},
        InsertCase{"cyrillic word at exactly the limit", EntryKind::Text, 5,
                   {"Ёжик!"}, {true}, "Ёжик!", 5},
        InsertCase{"emoji is one character of four bytes", EntryKind::Text, 2,
                   {kEmoji, "a", "b"}, {true, true, false}, kEmoji + "a", 2},
        InsertCase{"two emoji do not fit one free character", EntryKind::Text, 3,
                   {"ab", kEmoji + kEmoji}, {true, false}, "ab", 2},
        InsertCase{"text takes punctuation for e-mail", EntryKind::Text, 0,
                   {"ivan.petrov-1@mail.ru"}, {true}, "ivan.petrov-1@mail.ru", 21},
        InsertCase{"text refuses controls and newline by default", EntryKind::Text, 0,
                   {"a", "\n", "\t", "\r", std::string(1, '\0'), "\x7F", "\xC2\x85", "b"},
                   {true, false, false, false, false, false, false, true}, "ab", 2},
        InsertCase{"text refuses invisible and bidi characters", EntryKind::Text, 0,
                   {"\xE2\x80\x8B", "\xE2\x80\xAE", "\xEF\xBB\xBF", "\xEE\x80\x80", "ok"},
                   {false, false, false, false, true}, "ok", 2},
        InsertCase{"empty insert is refused", EntryKind::Text, 0,
                   {""}, {false}, "", 0},
        InsertCase{"lone continuation byte", EntryKind::Text, 0,
                   {"\x80", "a"}, {false, true}, "a", 1},
        InsertCase{"truncated two-byte sequence", EntryKind::Text, 0,
                   {"\xD0", "a\xD0"}, {false, false}, "", 0},
        InsertCase{"truncated four-byte sequence", EntryKind::Text, 0,
                   {kEmoji.substr(0, 3)}, {false}, "", 0},
        InsertCase{"overlong encodings", EntryKind::Text, 0,
                   {"\xC0\xAF", "\xE0\x80\xAF", "\xF0\x80\x80\xAF"}, {false, false, false}, "", 0},
        InsertCase{"surrogates and beyond U+10FFFF", EntryKind::Text, 0,
                   {"\xED\xA0\x80", "\xF4\x90\x80\x80", "\xFF"}, {false, false, false}, "", 0},
        InsertCase{"valid text around an invalid chunk", EntryKind::Text, 0,
                   {"да", "\xD0\xD0", "нет"}, {true, false, true}, "данет", 5}),
    [](const auto& info) { return test::testName(info.param.name); });
// clang-format on

// ---- backspace -----------------------------------------------------------------------------

struct BackspaceCase {
    const char* name;
    std::string start;
    int presses;
    std::string value;
    size_t length;
};

class TextEntryBackspaceTest : public ::testing::TestWithParam<BackspaceCase> {};

TEST_P(TextEntryBackspaceTest, RemovesWholeCharacters) {
    const BackspaceCase& c = GetParam();
    TextEntry entry(EntryKind::Text, 10);
    ASSERT_TRUE(entry.insert(c.start));
    for (int i = 0; i < c.presses; ++i) EXPECT_TRUE(entry.backspace());
    EXPECT_EQ(entry.value(), c.value);
    EXPECT_EQ(entry.length(), c.length);
    EXPECT_EQ(entry.remaining(), 10 - c.length);
    // Whatever is left must still be valid UTF-8 and take more text.
    EXPECT_TRUE(decodeUtf8(entry.value()).has_value());
}

INSTANTIATE_TEST_SUITE_P(
    Table, TextEntryBackspaceTest,
    ::testing::Values(BackspaceCase{"ascii", "abc", 1, "ab", 2},
                      BackspaceCase{"cyrillic", "кот", 1, "ко", 2},
                      BackspaceCase{"yo", "ёЁ", 1, "ё", 1},
                      BackspaceCase{"emoji", "a" + kEmoji, 1, "a", 1},
                      BackspaceCase{"emoji then cyrillic", kEmoji + "ж", 2, "", 0},
                      BackspaceCase{"three byte", "a\xE2\x84\x96", 1, "a", 1}),  // №
    [](const auto& info) { return test::testName(info.param.name); });

TEST(TextEntryTest, BackspaceOnEmptyIsRefused) {
    TextEntry entry(EntryKind::Digits, 4);
    EXPECT_FALSE(entry.backspace());
    EXPECT_TRUE(entry.insert("7"));
    EXPECT_TRUE(entry.backspace());
    EXPECT_FALSE(entry.backspace());
    EXPECT_TRUE(entry.empty());
}

TEST(TextEntryTest, ClearAndAssign) {
    TextEntry entry(EntryKind::Text, 5);
    EXPECT_TRUE(entry.assign("Приве"));  // 5 letters, 10 bytes
    EXPECT_EQ(entry.value(), "Приве");
    EXPECT_TRUE(entry.full());
    EXPECT_FALSE(entry.assign("слишком длинно"));
    EXPECT_EQ(entry.value(), "Приве") << "a refused assign keeps the old value";
    entry.clear();
    EXPECT_EQ(entry.value(), "");
    EXPECT_EQ(entry.remaining(), 5u);
    EXPECT_TRUE(entry.assign(""));
}

TEST(TextEntryTest, NewlineOnlyWhenAllowedAndOnlyForText) {
    TextEntry lines(EntryKind::Text, 0, true);
    EXPECT_TRUE(lines.insert("a\nb"));
    EXPECT_EQ(lines.length(), 3u);
    EXPECT_FALSE(lines.insert("\r"));
    TextEntry digits(EntryKind::Digits, 0, true);
    EXPECT_FALSE(digits.allowsNewline());
    EXPECT_FALSE(digits.insert("\n"));
}

TEST(TextEntryTest, NoLimitMeansUnlimited) {
    TextEntry entry(EntryKind::Text);
    EXPECT_TRUE(entry.insert(std::string(5000, 'x')));
    EXPECT_EQ(entry.remaining(), SIZE_MAX);
    EXPECT_FALSE(entry.full());
}

// ---- upper case ----------------------------------------------------------------------------

TEST(UpperCaseTest, LatinAndCyrillicWithoutLocale) {
    const std::pair<const char*, const char*> table[] = {
        {"й", "Й"}, {"ё", "Ё"}, {"ъ", "Ъ"}, {"я", "Я"}, {"а", "А"}, {"ж", "Ж"}, {"q", "Q"},
        {"z", "Z"}, {"é", "É"}, {"ÿ", "Ÿ"}, {"ә", "Ә"}, {"і", "І"}, {"ґ", "Ґ"}, {"ң", "Ң"},
        {"ӂ", "Ӂ"}, {"Й", "Й"}, {"1", "1"}, {"@", "@"}, {"№", "№"}, {"÷", "÷"}, {"ß", "ß"},
    };
    for (const auto& [lower, upper] : table)
        EXPECT_EQ(upperCase(std::string_view(lower)), upper) << lower;
    EXPECT_EQ(upperCase(std::string_view("съешь ещё")), "СЪЕШЬ ЕЩЁ");
}

TEST(Utf8Test, RoundTripsEveryBoundary) {
    for (char32_t cp : {0x01u, 0x7Fu, 0x80u, 0x7FFu, 0x800u, 0xFFFDu, 0x10000u, 0x10FFFFu}) {
        const auto decoded = decodeUtf8(encodeUtf8(cp));
        ASSERT_TRUE(decoded.has_value());
        EXPECT_EQ(*decoded, std::u32string(1, cp));
    }
    EXPECT_EQ(encodeUtf8(0xD800), "");
    EXPECT_EQ(encodeUtf8(0x110000), "");
}

TEST(Utf8Test, ValidAgreesWithDecode) {
    const std::string cases[] = {"", "abc", "Ёжик", "€", "😀", "\xC3",  // truncated
                                 "\xC0\xAF",                           // overlong '/'
                                 "\xED\xA0\x80",                       // a surrogate
                                 "\xF4\x90\x80\x80",                   // above U+10FFFF
                                 "\x80" "abc",                           // a stray continuation
                                 "\xCF\xF0\xE8\xE2\xE5\xF2",           // "Привет" in cp1251
                                 std::string("a\0b", 3)};
    for (const auto& c : cases) EXPECT_EQ(validUtf8(c), decodeUtf8(c).has_value()) << c;
    EXPECT_TRUE(validUtf8("Ёжик 😀"));
    EXPECT_FALSE(validUtf8("\xCF\xF0\xE8\xE2\xE5\xF2"));
}

// ---- layouts -------------------------------------------------------------------------------

std::string charsOf(const KeyboardLayout& layout) {
    std::string out;
    for (const auto& row : layout.rows) {
        for (const auto& key : row) {
            if (key.action == KeyAction::Char) out += key.text;
        }
    }
    return out;
}

const Key* findKey(const KeyboardLayout& layout, KeyAction action, std::string_view text = {}) {
    for (const auto& row : layout.rows) {
        for (const auto& key : row) {
            if (key.action == action && (text.empty() || key.text == text)) return &key;
        }
    }
    return nullptr;
}

TEST(KeyboardLayoutTest, RussianHasAllThirtyThreeLetters) {
    const auto layout = keyboardLayout("ru", KeyboardPage::Letters);
    const std::string chars = charsOf(layout);
    for (std::string_view letter :
         {"й", "ц", "у", "к", "е", "н", "г", "ш", "щ", "з", "х", "ъ", "ф", "ы", "в", "а", "п",
          "р", "о", "л", "д", "ж", "э", "я", "ч", "с", "м", "и", "т", "ь", "б", "ю", "ё"}) {
        EXPECT_NE(chars.find(letter), std::string::npos) << letter;
    }
    ASSERT_EQ(layout.rows.size(), 4u);
    EXPECT_EQ(layout.rows[0].front().text, "й");
    EXPECT_EQ(layout.rows[0].back().text, "ъ");
    EXPECT_EQ(layout.rows[1].front().text, "ф");
}

TEST(KeyboardLayoutTest, EnglishIsQwerty) {
    const auto layout = keyboardLayout("en", KeyboardPage::Letters);
    ASSERT_EQ(layout.rows.size(), 4u);
    EXPECT_EQ(charsOf(layout), "qwertyuiopasdfghjklzxcvbnm,.");
}

TEST(KeyboardLayoutTest, EveryPageHasTheSpecialKeysAndFullRows) {
    for (const char* lang : {"ru", "en"}) {
        for (bool enter : {false, true}) {
            for (bool language : {false, true}) {
                const LayoutOptions options{language, enter};
                const auto letters = keyboardLayout(lang, KeyboardPage::Letters, options);
                const auto symbols = keyboardLayout(lang, KeyboardPage::Symbols, options);
                SCOPED_TRACE(std::string(lang) + (enter ? " enter" : "") +
                             (language ? " language" : ""));
                for (const auto* layout : {&letters, &symbols}) {
                    for (auto action : {KeyAction::Backspace, KeyAction::Space, KeyAction::Page,
                                        KeyAction::Done}) {
                        EXPECT_NE(findKey(*layout, action), nullptr) << static_cast<int>(action);
                    }
                    EXPECT_EQ(findKey(*layout, KeyAction::Enter) != nullptr, enter);
                    // The bottom row spans the full width, so keys line up in a grid.
                    float bottom = 0;
                    for (const auto& key : layout->rows.back()) bottom += key.width;
                    EXPECT_FLOAT_EQ(bottom, layout->units());
                    EXPECT_GE(findKey(*layout, KeyAction::Space)->width, 3.0f)
                        << "space bar must stay wide";
                }
                EXPECT_NE(findKey(letters, KeyAction::Shift), nullptr);
                EXPECT_EQ(findKey(letters, KeyAction::Language) != nullptr, language);
                EXPECT_EQ(findKey(symbols, KeyAction::Language), nullptr);
            }
        }
    }
}

TEST(KeyboardLayoutTest, SymbolsPageHasDigitsAndEmailPunctuation) {
    const std::string chars = charsOf(keyboardLayout("ru", KeyboardPage::Symbols));
    for (std::string_view c : {"0", "1", "9", "@", ".", ",", "-", "_", "!", "?", "№", "(", ")"}) {
        EXPECT_NE(chars.find(c), std::string::npos) << c;
    }
    EXPECT_EQ(findKey(keyboardLayout("ru", KeyboardPage::Symbols), KeyAction::Page)->text, "АБВ");
    EXPECT_EQ(findKey(keyboardLayout("en", KeyboardPage::Symbols), KeyAction::Page)->text, "ABC");
}

// ---- keyboard state ------------------------------------------------------------------------

/// Presses the Char key for `text` on the current layout (lower-case name, as on the key).
KeyOutcome tap(KeyboardState& kb, TextEntry& entry, std::string_view text) {
    const auto layout = kb.layout(entry);
    const Key* key = findKey(layout, KeyAction::Char, text);
    if (!key) {
        ADD_FAILURE() << "no key " << text << " on " << layout.language;
        return KeyOutcome::Rejected;
    }
    return kb.press(*key, entry);
}

KeyOutcome tap(KeyboardState& kb, TextEntry& entry, KeyAction action) {
    const auto layout = kb.layout(entry);
    const Key* key = findKey(layout, action);
    if (!key) {
        ADD_FAILURE() << "no key " << static_cast<int>(action) << " on " << layout.language;
        return KeyOutcome::Rejected;
    }
    return kb.press(*key, entry);
}

struct ShiftCase {
    const char* lang;
    std::vector<std::string> keys;  // "⇧" presses Shift
    std::string value;
};

class KeyboardShiftTest : public ::testing::TestWithParam<ShiftCase> {};

TEST_P(KeyboardShiftTest, ShiftIsOneShot) {
    const ShiftCase& c = GetParam();
    KeyboardState kb({"ru", "en"}, c.lang);
    TextEntry entry(EntryKind::Text, 20);
    for (const auto& k : c.keys) {
        if (k == "⇧") {
            EXPECT_EQ(tap(kb, entry, KeyAction::Shift), KeyOutcome::ShiftChanged);
        } else {
            EXPECT_EQ(tap(kb, entry, k), KeyOutcome::Typed) << k;
        }
    }
    EXPECT_EQ(entry.value(), c.value);
    EXPECT_EQ(kb.shift(), ShiftMode::Off);
}

INSTANTIATE_TEST_SUITE_P(Table, KeyboardShiftTest,
                         ::testing::Values(ShiftCase{"ru", {"⇧", "й", "о", "д"}, "Йод"},
                                           ShiftCase{"ru", {"⇧", "ё", "ж"}, "Ёж"},
                                           ShiftCase{"ru", {"к", "⇧", "ъ", "ъ"}, "кЪъ"},
                                           ShiftCase{"en", {"⇧", "q", "w"}, "Qw"},
                                           ShiftCase{"en", {"a", "⇧", "z", "z"}, "aZz"}),
                         [](const auto& info) {
                             return std::string(info.param.lang) + "_" + std::to_string(info.index);
                         });

TEST(KeyboardStateTest, ShiftTwiceLocksCapsAndThirdTimeReleases) {
    KeyboardState kb({"ru"}, "ru");
    TextEntry entry(EntryKind::Text, 10);
    tap(kb, entry, KeyAction::Shift);
    tap(kb, entry, KeyAction::Shift);
    EXPECT_EQ(kb.shift(), ShiftMode::Locked);
    for (auto c : {"м", "ф", "ц"}) tap(kb, entry, c);
    EXPECT_EQ(entry.value(), "МФЦ");
    EXPECT_EQ(kb.shift(), ShiftMode::Locked);
    tap(kb, entry, KeyAction::Shift);
    EXPECT_EQ(kb.shift(), ShiftMode::Off);
    tap(kb, entry, "м");
    EXPECT_EQ(entry.value(), "МФЦм");
}

TEST(KeyboardStateTest, LabelsFollowShift) {
    KeyboardState kb({"ru", "en"}, "ru");
    const Key yo{KeyAction::Char, "ё", 1};
    EXPECT_EQ(kb.label(yo), "ё");
    kb.setShift(ShiftMode::Once);
    EXPECT_EQ(kb.label(yo), "Ё");
    EXPECT_EQ(kb.label(Key{KeyAction::Page, "?123", 1.5f}), "?123");
}

TEST(KeyboardStateTest, RefusedLetterKeepsShift) {
    KeyboardState kb({"en"}, "en");
    TextEntry entry(EntryKind::Text, 1);
    ASSERT_TRUE(entry.insert("x"));
    tap(kb, entry, KeyAction::Shift);
    EXPECT_EQ(tap(kb, entry, "a"), KeyOutcome::Rejected);
    EXPECT_EQ(kb.shift(), ShiftMode::Once);
    EXPECT_EQ(entry.value(), "x");
}

TEST(KeyboardStateTest, PageToggleShowsSymbolsAndBack) {
    KeyboardState kb({"ru", "en"}, "ru");
    TextEntry entry(EntryKind::Text, 40);
    tap(kb, entry, KeyAction::Shift);
    EXPECT_EQ(tap(kb, entry, KeyAction::Page), KeyOutcome::PageChanged);
    EXPECT_EQ(kb.page(), KeyboardPage::Symbols);
    EXPECT_EQ(kb.shift(), ShiftMode::Off) << "the symbols page has no shift";
    EXPECT_EQ(tap(kb, entry, "@"), KeyOutcome::Typed);
    EXPECT_EQ(tap(kb, entry, "7"), KeyOutcome::Typed);
    EXPECT_EQ(tap(kb, entry, KeyAction::Page), KeyOutcome::PageChanged);
    EXPECT_EQ(kb.page(), KeyboardPage::Letters);
    EXPECT_EQ(tap(kb, entry, "я"), KeyOutcome::Typed);
    EXPECT_EQ(entry.value(), "@7я");
}

TEST(KeyboardStateTest, LanguageKeyCyclesTheKioskLanguages) {
    KeyboardState kb({"ru", "kk", "en"}, "ru");  // kk has no layout yet: skipped
    EXPECT_EQ(kb.languages(), (std::vector<std::string>{"ru", "en"}));
    TextEntry entry(EntryKind::Text, 10);
    EXPECT_EQ(kb.nextLanguage(), "en");
    tap(kb, entry, KeyAction::Shift);
    EXPECT_EQ(tap(kb, entry, KeyAction::Language), KeyOutcome::LanguageChanged);
    EXPECT_EQ(kb.language(), "en");
    EXPECT_EQ(kb.shift(), ShiftMode::Off);
    EXPECT_EQ(kb.layout(entry).rows[0].front().text, "q");
    EXPECT_EQ(tap(kb, entry, KeyAction::Language), KeyOutcome::LanguageChanged);
    EXPECT_EQ(kb.language(), "ru");
    EXPECT_TRUE(kb.setLanguage("en"));
    EXPECT_FALSE(kb.setLanguage("de"));
    EXPECT_EQ(kb.language(), "en");
    EXPECT_TRUE(entry.empty()) << "switching language types nothing";
}

TEST(KeyboardStateTest, OneLanguageHasNoLanguageKey) {
    KeyboardState kb({"ru"}, "ru");
    TextEntry entry;
    EXPECT_EQ(findKey(kb.layout(entry), KeyAction::Language), nullptr);
    EXPECT_EQ(kb.press(Key{KeyAction::Language}, entry), KeyOutcome::Rejected);
    KeyboardState none({"de"});
    EXPECT_EQ(none.language(), "en") << "falls back to English when no kiosk language has a layout";
}

TEST(KeyboardStateTest, SpaceBackspaceEnterAndDone) {
    KeyboardState kb({"ru", "en"}, "ru");
    TextEntry entry(EntryKind::Text, 5, true);
    tap(kb, entry, "д");
    tap(kb, entry, "а");
    EXPECT_EQ(tap(kb, entry, KeyAction::Space), KeyOutcome::Typed);
    EXPECT_EQ(tap(kb, entry, KeyAction::Enter), KeyOutcome::Typed);
    EXPECT_EQ(entry.value(), "да \n");
    EXPECT_EQ(tap(kb, entry, KeyAction::Backspace), KeyOutcome::Deleted);
    EXPECT_EQ(tap(kb, entry, KeyAction::Backspace), KeyOutcome::Deleted);
    EXPECT_EQ(entry.value(), "да");
    EXPECT_EQ(tap(kb, entry, KeyAction::Done), KeyOutcome::Done);
    EXPECT_EQ(entry.value(), "да") << "Done types nothing";
    entry.clear();
    EXPECT_EQ(tap(kb, entry, KeyAction::Backspace), KeyOutcome::Rejected);
}

TEST(KeyboardStateTest, DigitsEntryRefusesLettersFromTheFullKeyboard) {
    KeyboardState kb({"ru", "en"}, "ru");
    TextEntry entry(EntryKind::Digits, 3);
    EXPECT_EQ(tap(kb, entry, "к"), KeyOutcome::Rejected);
    EXPECT_EQ(tap(kb, entry, KeyAction::Space), KeyOutcome::Rejected);
    EXPECT_EQ(findKey(kb.layout(entry), KeyAction::Enter), nullptr);
    tap(kb, entry, KeyAction::Page);
    for (auto d : {"1", "2", "3", "4"}) tap(kb, entry, d);
    EXPECT_EQ(entry.value(), "123");
}

TEST(KeyboardStateTest, ApplyKeyIsTheStatelessPart) {
    TextEntry pin(EntryKind::Pin, 4);
    EXPECT_EQ(applyKey(Key{KeyAction::Char, "5"}, pin), KeyOutcome::Typed);
    EXPECT_EQ(applyKey(Key{KeyAction::Char, "x"}, pin), KeyOutcome::Rejected);
    EXPECT_EQ(applyKey(Key{KeyAction::Shift}, pin), KeyOutcome::Rejected);
    EXPECT_EQ(applyKey(Key{KeyAction::Backspace}, pin), KeyOutcome::Deleted);
    EXPECT_EQ(applyKey(Key{KeyAction::Done}, pin), KeyOutcome::Done);
    EXPECT_EQ(pin.value(), "");
}

}  // namespace
}  // namespace talon
