// On-screen keyboard widgets for touch screens: a numeric keypad, a full keyboard drawn from
// KeyboardLayout, and the field that shows what was typed. They keep no state of their own:
// the value is the caller's TextEntry and the modes its KeyboardState (talon/common/text_entry.h).
#pragma once

#include <imgui.h>

#include <optional>
#include <string>
#include <vector>

#include "talon/common/text_entry.h"

namespace talon::ui {

struct KeyColors {
    ImU32 fill;
    ImU32 text;
};

/// The look shared by the keypad and the keyboard. Fonts and colours come from the caller
/// (the app shell's fonts); words on keys come translated from the caller too.
struct KeyStyle {
    ImFont* font = nullptr;       // characters on keys; nullptr: the current font
    ImFont* labelFont = nullptr;  // words on keys (Done, ?123); nullptr: `font`
    KeyColors key{IM_COL32(255, 255, 255, 255), IM_COL32(20, 26, 36, 255)};
    KeyColors special{IM_COL32(206, 214, 226, 255),
                      IM_COL32(20, 26, 36, 255)};  // Shift, Backspace, …
    KeyColors done{IM_COL32(0, 122, 204, 255), IM_COL32(255, 255, 255, 255)};
    ImU32 shadow = IM_COL32(0, 0, 0, 40);
    ImU32 panel = 0;             // fill behind the keys; 0: none
    float minKeyPx = 0;          // no key is ever smaller than this (touch targets ≥ 15 mm)
    float gapPx = 12;            // between keys
    float paddingPx = 0;         // between the panel's edge and the keys
    float maxKeyAspect = 1.2f;   // key height ≤ this × one key unit's width; 0: fill the height
    std::string doneLabel;       // e.g. "Готово"; empty: a drawn check mark
    std::string backspaceLabel;  // empty: a drawn ⌫ icon
};

struct KeypadStyle : KeyStyle {};

struct KeyboardStyle : KeyStyle {
    std::string spaceLabel;  // on the space bar, e.g. "пробел"; may stay empty
    bool keyPreview = true;  // a held letter shows enlarged above the finger
};

/// What a keypad or keyboard did this frame.
struct KeyboardResult {
    std::optional<KeyOutcome> outcome;  // set on the frame a key was released over
    ImVec2 size;  // the size drawn: larger than asked when keys kept minKeyPx, lower when keys hit
                  // maxKeyAspect

    bool done() const { return outcome == KeyOutcome::Done; }
    bool changed() const { return outcome == KeyOutcome::Typed || outcome == KeyOutcome::Deleted; }
    bool rejected() const { return outcome == KeyOutcome::Rejected; }
};

struct KeyRect {
    ImVec2 min, max;
    ImVec2 center() const { return ImVec2((min.x + max.x) * 0.5f, (min.y + max.y) * 0.5f); }
};

/// Where each key of `layout` goes: rows stacked from `topLeft`, narrower rows centred. Pure
/// arithmetic (no ImGui frame needed), so callers can lay out, and tests can tap, ahead of drawing.
struct KeyGrid {
    std::vector<std::vector<KeyRect>> rows;  // parallel to layout.rows
    ImVec2 size;                             // what the keys need, see KeyboardResult::size
};
KeyGrid keyGrid(const KeyboardLayout& layout, ImVec2 topLeft, ImVec2 size, const KeyStyle& style);

/// The size the keyboard will use in `available` (for laying out before drawing).
ImVec2 keyboardSize(const KeyboardState& state, const TextEntry& entry, ImVec2 available,
                    const KeyboardStyle& style);
ImVec2 numericKeypadSize(ImVec2 available, const KeypadStyle& style);

/// A 3×4 keypad (1–9, Backspace, 0, Done) filling `size` from `topLeft`; applies taps to `entry`.
KeyboardResult numericKeypad(const char* id, TextEntry& entry, ImVec2 topLeft, ImVec2 size,
                             const KeypadStyle& style);

/// The full keyboard for `state`'s language and page; applies taps to `entry` and `state`.
/// A refused key presses like any other: the caller shows the limit if it wants to.
KeyboardResult keyboard(const char* id, TextEntry& entry, KeyboardState& state, ImVec2 topLeft,
                        ImVec2 size, const KeyboardStyle& style);

struct EntryFieldStyle {
    ImFont* font = nullptr;         // nullptr: the current font
    ImFont* counterFont = nullptr;  // nullptr: `font`
    ImU32 fill = IM_COL32(255, 255, 255, 255);
    ImU32 border = IM_COL32(0, 122, 204, 255);
    ImU32 text = IM_COL32(20, 26, 36, 255);
    ImU32 caretColor = IM_COL32(0, 122, 204, 255);
    ImU32 placeholderColor = IM_COL32(140, 148, 160, 255);
    ImU32 counterColor = IM_COL32(90, 100, 115, 255);
    ImU32 counterFullColor = IM_COL32(176, 42, 42, 255);
    float borderPx = 4;
    float rounding = 18;
    float paddingPx = 24;
    std::string placeholder;  // shown while the entry is empty
    bool caret = true;        // the caller blinks it from its own clock
    bool counter = false;     // "n / max" for Text entries with a limit
};

/// Draws the entry in a box: Pin as dots (empty circles for the digits still to come), long
/// text wrapped or scrolled so the caret stays in view. Returns true when the box is tapped.
bool entryField(const char* id, const TextEntry& entry, ImVec2 topLeft, ImVec2 size,
                const EntryFieldStyle& style);

}  // namespace talon::ui
