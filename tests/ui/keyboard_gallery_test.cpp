// The keypad and keyboard rendered in-process through the real app shell (headless): a PNG per
// layout for people to look at, real taps on keys that must reach the TextEntry, and the key
// geometry contract (minimum key size, reported size) checked without a frame.
#include "talon/ui/keyboard.h"

#include <gtest/gtest.h>
#include <imgui.h>

#include <filesystem>
#include <functional>
#include <set>

#include "../support/png.h"
#include "talon/ui/app_shell.h"
#include "talon/ui/widgets.h"

namespace talon {
namespace {

const ImU32 kBackground = IM_COL32(244, 246, 250, 255);
const ImU32 kPanel = IM_COL32(222, 227, 235, 255);
const ImU32 kText = IM_COL32(20, 26, 36, 255);
constexpr float kMinKeyPx = 41;  // 15 mm on a 32" portrait screen (0.369 mm per pixel)

// ---- Images ----

using test::distinctColours;
using test::Png;
Png load(const std::filesystem::path& path) { return test::loadPng(path); }

std::filesystem::path shotPath(const std::string& name) {
    const std::filesystem::path dir = TALON_BUILD_DIR "/screenshots/keyboard";
    std::filesystem::create_directories(dir);
    return dir / (name + ".png");
}

/// Loads the PNG and checks it has the requested size and is a real picture, not a flat fill.
Png expectScreen(const std::filesystem::path& png, int w, int h) {
    EXPECT_TRUE(std::filesystem::exists(png)) << png;
    Png p = load(png);
    EXPECT_EQ(p.width, w) << png;
    EXPECT_EQ(p.height, h) << png;
    EXPECT_GT(distinctColours(p), 20u) << png << " looks blank";
    return p;
}

// ---- A screen with an entry field and a keyboard in the lower part ----

enum class Pad { Keyboard, Keypad };

struct Scene {
    Pad pad = Pad::Keyboard;
    std::string title;
    std::string placeholder;
    TextEntry entry;
    KeyboardState state;
    bool counter = false;
    std::vector<KeyOutcome> outcomes;  // one per tap that landed on a key
};

/// Where the keys go on a `w`×`h` screen: full width (keypad: at most 760 px) at the bottom.
struct Placement {
    ImVec2 topLeft, size;
};

ui::KeyboardStyle keyboardStyle(const Scene& s, const ui::Fonts* fonts) {
    ui::KeyboardStyle style;
    if (fonts) {
        style.font = fonts->large;
        style.labelFont = fonts->body;
    }
    style.minKeyPx = kMinKeyPx;
    const bool ru = s.state.language() == "ru";
    style.doneLabel = ru ? "Готово" : "Done";
    style.spaceLabel = ru ? "пробел" : "space";
    return style;
}

ui::KeypadStyle keypadStyle(const ui::Fonts* fonts) {
    ui::KeypadStyle style;
    if (fonts) {
        style.font = fonts->big;  // digits and capitals only, which is all a keypad shows
        style.labelFont = fonts->large;
    }
    style.minKeyPx = kMinKeyPx;
    style.gapPx = 18;
    style.maxKeyAspect = 0.62f;  // wide, calculator-like keys
    style.doneLabel = "OK";
    return style;
}

Placement place(const Scene& s, int w, int h) {
    const float margin = 40;
    if (s.pad == Pad::Keypad) {
        const ImVec2 avail(std::min(w - 2 * margin, 760.0f), h * 0.42f);
        const ImVec2 size = ui::numericKeypadSize(avail, keypadStyle(nullptr));
        return {ImVec2((w - size.x) * 0.5f, h - margin - size.y), size};
    }
    const ImVec2 avail(std::min(w - 2 * margin, 1500.0f), h > w ? h * 0.34f : h * 0.5f);
    const ImVec2 size = ui::keyboardSize(s.state, s.entry, avail, keyboardStyle(s, nullptr));
    return {ImVec2((w - size.x) * 0.5f, h - margin - size.y), size};
}

class GalleryApp final : public ui::App {
public:
    GalleryApp(Scene& scene, const ui::Fonts& fonts) : m_scene(scene), m_fonts(fonts) {}

    void drawFrame(int width, int height) override {
        ui::beginFullscreen("gallery", kBackground);
        const Placement p = place(m_scene, width, height);
        ImDrawList* dl = ImGui::GetWindowDrawList();
        dl->AddRectFilled(ImVec2(0, p.topLeft.y - 28),
                          ImVec2(static_cast<float>(width), static_cast<float>(height)), kPanel);

        ImGui::SetCursorPosY(60);
        ui::centeredText(m_fonts.large, m_scene.title, kText);
        ui::EntryFieldStyle field;
        field.font = m_scene.entry.kind() == EntryKind::Text ? m_fonts.body : m_fonts.large;
        field.placeholder = m_scene.placeholder;
        field.counter = m_scene.counter;
        const float fieldH = m_scene.entry.allowsNewline() ? 3 * m_fonts.body->FontSize + 60 : 140;
        ui::entryField("field", m_scene.entry, ImVec2(60, 180), ImVec2(width - 120.0f, fieldH),
                       field);

        ui::KeyboardResult result;
        if (m_scene.pad == Pad::Keypad) {
            result = ui::numericKeypad("keypad", m_scene.entry, p.topLeft, p.size,
                                       keypadStyle(&m_fonts));
        } else {
            result = ui::keyboard("keyboard", m_scene.entry, m_scene.state, p.topLeft, p.size,
                                  keyboardStyle(m_scene, &m_fonts));
        }
        EXPECT_NEAR(result.size.x, p.size.x, 0.5f);
        EXPECT_NEAR(result.size.y, p.size.y, 0.5f);
        if (result.outcome) m_scene.outcomes.push_back(*result.outcome);
        ImGui::End();
    }
    std::optional<Instant> nextWake() const override { return std::nullopt; }
    void tick(Instant) override {}
    void onInput(Instant) override {}

private:
    Scene& m_scene;
    const ui::Fonts& m_fonts;
};

/// Renders `scene` headless at w×h with `taps`, writes <name>.png and checks it.
void render(Scene& scene, const std::string& name, int w, int h,
            std::vector<ui::ShellOptions::Tap> taps = {}, int frames = 3) {
    ui::ShellOptions options;
    options.headless = true;
    options.width = w;
    options.height = h;
    options.frames = frames;
    options.taps = std::move(taps);
    options.screenshot = shotPath(name).string();
    std::filesystem::remove(options.screenshot);
    RunQueue queue;
    auto shell = ui::AppShell::create(options, queue);
    ASSERT_TRUE(shell.ok()) << shell.error().message;
    GalleryApp app(scene, shell.value()->fonts());
    EXPECT_EQ(shell.value()->run(app), 0);
    EXPECT_EQ(shell.value()->framesRendered(), frames);
    expectScreen(options.screenshot, w, h);
}

Scene textScene(const std::string& lang) {
    Scene s;
    s.title = lang == "ru" ? "Опишите обращение" : "Describe your request";
    s.placeholder =
        lang == "ru" ? "Например: не пришла квитанция" : "For example: no bill this month";
    s.entry = TextEntry(EntryKind::Text, 200, true);
    s.state = KeyboardState({"ru", "en"}, lang);
    s.counter = true;
    return s;
}

/// The centre of the first key on the scene's current layout that does `action` (and types `text`).
ui::ShellOptions::Tap tapOn(const Scene& s, int w, int h, int frame, KeyAction action,
                            std::string_view text = {}) {
    const Placement p = place(s, w, h);
    const KeyboardLayout layout = s.pad == Pad::Keypad ? keypadLayout() : s.state.layout(s.entry);
    const ui::KeyGrid grid =
        ui::keyGrid(layout, p.topLeft, p.size,
                    s.pad == Pad::Keypad ? static_cast<ui::KeyStyle>(keypadStyle(nullptr))
                                         : static_cast<ui::KeyStyle>(keyboardStyle(s, nullptr)));
    for (size_t r = 0; r < layout.rows.size(); ++r) {
        for (size_t k = 0; k < layout.rows[r].size(); ++k) {
            const Key& key = layout.rows[r][k];
            if (key.action == action && (text.empty() || key.text == text)) {
                const ImVec2 c = grid.rows[r][k].center();
                return {frame, c.x, c.y};
            }
        }
    }
    ADD_FAILURE() << "no key " << text;
    return {frame, 0, 0};
}

// ---- Geometry, no frame needed ----

TEST(KeyGridTest, KeysFillTheAreaInAGrid) {
    ui::KeyboardStyle style;
    style.gapPx = 10;
    style.maxKeyAspect = 0;
    const auto layout = keyboardLayout("ru", KeyboardPage::Letters);
    const auto grid = ui::keyGrid(layout, ImVec2(20, 500), ImVec2(1190, 430), style);
    EXPECT_FLOAT_EQ(grid.size.x, 1190);
    EXPECT_FLOAT_EQ(grid.size.y, 430);
    ASSERT_EQ(grid.rows.size(), 4u);
    // 12 units, 11 gaps: 90 px keys; rows 100 px high.
    EXPECT_FLOAT_EQ(grid.rows[0][0].min.x, 20);
    EXPECT_FLOAT_EQ(grid.rows[0][0].max.x, 110);
    EXPECT_FLOAT_EQ(grid.rows[0].back().max.x, 1210);
    EXPECT_FLOAT_EQ(grid.rows[3][0].max.y, 930);
    // Shift (1.5 units) ends half a key into the second column; Backspace ends at the edge.
    EXPECT_FLOAT_EQ(grid.rows[2][0].max.x, 20 + 1.5f * 90 + 0.5f * 10);
    EXPECT_FLOAT_EQ(grid.rows[2].back().max.x, 1210);
    // The space bar is the widest key.
    float widest = 0;
    for (const auto& r : grid.rows[3]) widest = std::max(widest, r.max.x - r.min.x);
    EXPECT_FLOAT_EQ(widest, 5 * 90 + 4 * 10);
}

TEST(KeyGridTest, NarrowRowsAreCentred) {
    ui::KeyboardStyle style;
    style.gapPx = 10;
    const auto layout = keyboardLayout("en", KeyboardPage::Letters);  // a..l is 9 keys of 10
    const auto grid = ui::keyGrid(layout, ImVec2(0, 0), ImVec2(990, 400), style);
    EXPECT_FLOAT_EQ(grid.rows[1][0].min.x, 50);
    EXPECT_FLOAT_EQ(grid.rows[1].back().max.x, 940);
}

TEST(KeyGridTest, TooSmallAreaKeepsMinimumKeysAndReportsTheSizeNeeded) {
    ui::KeyboardStyle style;
    style.gapPx = 8;
    style.minKeyPx = 60;
    const auto layout = keyboardLayout("ru", KeyboardPage::Letters);
    const auto grid = ui::keyGrid(layout, ImVec2(0, 0), ImVec2(400, 150), style);
    for (const auto& row : grid.rows) {
        for (const auto& r : row) {
            EXPECT_GE(r.max.x - r.min.x, 60 - 1e-3f);
            EXPECT_GE(r.max.y - r.min.y, 60 - 1e-3f);
        }
    }
    EXPECT_FLOAT_EQ(grid.size.x, 12 * 60 + 11 * 8);
    EXPECT_FLOAT_EQ(grid.size.y, 4 * 60 + 3 * 8);
    ui::KeypadStyle pad;
    pad.minKeyPx = 100;
    pad.gapPx = 0;
    const ImVec2 keypad = ui::numericKeypadSize(ImVec2(120, 120), pad);
    EXPECT_FLOAT_EQ(keypad.x, 300);
    EXPECT_FLOAT_EQ(keypad.y, 400);
}

TEST(KeyGridTest, TallAreaCapsKeyHeightAndReportsIt) {
    ui::KeyboardStyle style;
    style.gapPx = 0;
    style.maxKeyAspect = 1.2f;
    const auto grid = ui::keyGrid(keyboardLayout("en", KeyboardPage::Letters), ImVec2(0, 0),
                                  ImVec2(1000, 2000), style);
    EXPECT_FLOAT_EQ(grid.size.x, 1000);
    EXPECT_FLOAT_EQ(grid.size.y, 4 * 120);
}

// ---- Rendered gallery ----

TEST(KeyboardGalleryTest, NumericKeypadWithDigitsTyped) {
    Scene s;
    s.pad = Pad::Keypad;
    s.title = "Номер лицевого счёта";
    s.entry = TextEntry(EntryKind::Digits, 12);
    ASSERT_TRUE(s.entry.insert("1234"));
    render(s, "keypad-digits-portrait", 1080, 1920);
}

TEST(KeyboardGalleryTest, PinKeypadLandscapeShowsDots) {
    Scene s;
    s.pad = Pad::Keypad;
    s.title = "Введите ПИН-код";
    s.entry = TextEntry(EntryKind::Pin, 4);
    ASSERT_TRUE(s.entry.insert("12"));
    render(s, "keypad-pin-landscape", 1920, 1080);
}

TEST(KeyboardGalleryTest, RussianKeyboard) {
    Scene s = textScene("ru");
    ASSERT_TRUE(s.entry.insert(
        "Добрый день! Второй месяц не приходит квитанция за свет по адресу ул. Ленина, д. 5"));
    render(s, "keyboard-ru-portrait", 1080, 1920);
}

TEST(KeyboardGalleryTest, RussianKeyboardWithShift) {
    Scene s = textScene("ru");
    s.state.setShift(ShiftMode::Once);
    render(s, "keyboard-ru-shift-portrait", 1080, 1920);
}

TEST(KeyboardGalleryTest, EnglishKeyboard) {
    Scene s = textScene("en");
    ASSERT_TRUE(s.entry.insert("ivan.petrov"));
    s.state.setShift(ShiftMode::Locked);
    render(s, "keyboard-en-capslock-portrait", 1080, 1920);
}

TEST(KeyboardGalleryTest, SymbolsPage) {
    Scene s = textScene("ru");
    s.state.setPage(KeyboardPage::Symbols);
    ASSERT_TRUE(s.entry.insert("ivan@mail.ru, тел. 8-912-000-11-22"));
    render(s, "keyboard-symbols-portrait", 1080, 1920);
}

TEST(KeyboardGalleryTest, RussianKeyboardLandscape) {
    Scene s = textScene("ru");
    s.entry = TextEntry(EntryKind::Text, 40);  // one line, no Enter key
    s.counter = true;
    ASSERT_TRUE(s.entry.insert("Иванова Мария Петровна"));
    render(s, "keyboard-ru-landscape", 1920, 1080);
}

// ---- Taps through the shell reach the entry ----

TEST(KeyboardTapTest, TypingCatOnRussianLayoutThenBackspace) {
    Scene s = textScene("ru");
    const int w = 1080, h = 1920;
    std::vector<ui::ShellOptions::Tap> taps = {
        tapOn(s, w, h, 2, KeyAction::Char, "к"),
        tapOn(s, w, h, 4, KeyAction::Char, "о"),
        tapOn(s, w, h, 6, KeyAction::Char, "т"),
        tapOn(s, w, h, 8, KeyAction::Backspace),
    };
    render(s, "keyboard-ru-typed-ko", w, h, taps, 11);
    EXPECT_EQ(s.entry.value(), "ко");
    EXPECT_EQ(s.outcomes, (std::vector<KeyOutcome>{KeyOutcome::Typed, KeyOutcome::Typed,
                                                   KeyOutcome::Typed, KeyOutcome::Deleted}));
}

TEST(KeyboardTapTest, ShiftThenLetterTypesOneCapital) {
    Scene s = textScene("ru");
    const int w = 1080, h = 1920;
    const auto shift = tapOn(s, w, h, 2, KeyAction::Shift);
    const auto yo = tapOn(s, w, h, 4, KeyAction::Char, "ё");
    const auto zh = tapOn(s, w, h, 6, KeyAction::Char, "ж");
    render(s, "keyboard-ru-typed-yozh", w, h, {shift, yo, zh}, 9);
    EXPECT_EQ(s.entry.value(), "Ёж");
    EXPECT_EQ(s.state.shift(), ShiftMode::Off);
}

TEST(KeyboardTapTest, HeldKeyIsDarkerAndPreviewed) {
    Scene s = textScene("ru");
    const int w = 1080, h = 1920;
    // The last frame is the press itself: the screenshot shows the key held down.
    const auto zh = tapOn(s, w, h, 3, KeyAction::Char, "ж");
    render(s, "keyboard-ru-held", w, h, {zh}, 4);
    EXPECT_TRUE(s.entry.empty()) << "a key types on release, not on press";
    const Png held = load(shotPath("keyboard-ru-held"));
    Scene idle = textScene("ru");
    render(idle, "keyboard-ru-idle", w, h);
    const Png before = load(shotPath("keyboard-ru-idle"));
    ASSERT_EQ(held.rgba.size(), before.rgba.size());
    // At the key's centre, away from the glyph: the face is darker than at rest.
    const int x = static_cast<int>(zh.x) - 25, y = static_cast<int>(zh.y) + 28;
    const auto lum = [](uint32_t c) { return (c >> 16 & 255) + (c >> 8 & 255) + (c & 255); };
    EXPECT_LT(lum(held.at(x, y)), lum(before.at(x, y)) - 60);
}

TEST(KeyboardTapTest, KeypadTypesAndReportsDone) {
    Scene s;
    s.pad = Pad::Keypad;
    s.title = "ПИН";
    s.entry = TextEntry(EntryKind::Pin, 4);
    const int w = 1080, h = 1920;
    std::vector<ui::ShellOptions::Tap> taps;
    int frame = 2;
    for (const char* d : {"7", "0", "9", "1", "5"}) {
        taps.push_back(tapOn(s, w, h, frame, KeyAction::Char, d));
        frame += 2;
    }
    taps.push_back(tapOn(s, w, h, frame, KeyAction::Backspace));
    taps.push_back(tapOn(s, w, h, frame + 2, KeyAction::Done));
    render(s, "keypad-pin-typed", w, h, taps, frame + 5);
    EXPECT_EQ(s.entry.value(), "709");
    EXPECT_EQ(s.outcomes,
              (std::vector<KeyOutcome>{KeyOutcome::Typed, KeyOutcome::Typed, KeyOutcome::Typed,
                                       KeyOutcome::Typed, KeyOutcome::Rejected, KeyOutcome::Deleted,
                                       KeyOutcome::Done}));
}

}  // namespace
}  // namespace talon
